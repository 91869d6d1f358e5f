#include "offline/store/catalog_cache.h"

#include <fstream>
#include <sstream>

#include "offline/store/audit.h"
#include "offline/store/core.h"

namespace mck {

Result<CachedCatalog> CatalogCache::Raw() {
  auto s = core_.db->Prepare("SELECT etag, body, fetched_at FROM catalog_cache WHERE id = 1");
  if (!s.ok()) return s.status();
  Status st;
  if (s->Step(&st)) return CachedCatalog{s->Text(0), s->Text(1), s->Text(2)};
  MCK_RETURN_IF_ERROR(st);
  const std::filesystem::path& seed = core_.options.catalog_seed;
  if (seed.empty()) {
    return Status::Error(Code::kNotFound, "no procedure catalog cached and no seed configured",
                         "Chưa có danh mục thủ tục");
  }
  std::ifstream in(seed, std::ios::binary);
  if (!in) {
    return Status::Error(Code::kNotFound, seed.string() + ": cannot read the catalog seed",
                         seed.string() + ": không đọc được danh mục thủ tục");
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto parsed = ParseCatalogText(ss.str());
  if (!parsed.ok()) return parsed.status().WithContext(seed.string() + ": ", seed.string() + ": ");
  MCK_RETURN_IF_ERROR(Put("", ss.str()));
  return Raw();
}

Result<Catalog> CatalogCache::Load() {
  auto raw = Raw();
  if (!raw.ok()) return raw.status();
  return ParseCatalogText(raw->body);
}

Status CatalogCache::Put(const std::string& etag, const std::string& body) {
  auto parsed = ParseCatalogText(body);
  if (!parsed.ok()) return parsed.status();
  Db& db = *core_.db;
  return WithTransaction(db, [&]() -> Status {
    auto up = db.Prepare(
        "INSERT INTO catalog_cache(id, etag, version, body, fetched_at) VALUES(1, ?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET etag = excluded.etag, version = excluded.version, body = excluded.body, "
        "fetched_at = excluded.fetched_at");
    if (!up.ok()) return up.status();
    const std::string now = FormatRfc3339Vietnam(core_.Now());
    up->Bind(1, etag).Bind(2, parsed->version).Bind(3, body).Bind(4, now);
    MCK_RETURN_IF_ERROR(up->Run());
    return AppendAudit(db, now, kActorKiosk, "catalog.updated", parsed->version,
                       "procedures=" + std::to_string(parsed->procedures.size()));
  });
}

}  // namespace mck
