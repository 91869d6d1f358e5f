// The procedure catalog as last fetched from the portal (store.catalog()), seeded from
// config/procedures.json on first use.
//
// Thread-safety: as Store.
#pragma once

#include <string>

#include "offline/domain/catalog.h"
#include "offline/domain/status.h"
#include "offline/store/part.h"

namespace mck {

struct CachedCatalog {
  std::string etag;  // may be empty for the seed
  std::string body;  // the portal's JSON
  std::string fetched_at;
};

class CatalogCache : public StorePart {
 public:
  using StorePart::StorePart;

  // The cached catalog, else the seed file (stored on first use), else kNotFound.
  Result<Catalog> Load();
  // The same, unparsed, with its ETag (for the sync engine's conditional GET).
  Result<CachedCatalog> Raw();
  // Replaces the cache (after checking `body` parses); audited.
  Status Put(const std::string& etag, const std::string& body);

};

}  // namespace mck
