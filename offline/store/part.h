// The base of every part of a Store (DossierStore, Outbox, TicketBook, DecisionStore,
// RatingStore, CatalogCache, Settings): it holds the Store's shared core — the one connection,
// the Sealer, the options, the clock (offline/store/core.h). A part belongs to its Store, which
// hands out references to it; it is never copied and never outlives the Store.
#pragma once

namespace mck {

struct StoreCore;

class StorePart {
 public:
  explicit StorePart(StoreCore& core) : core_(core) {}
  StorePart(const StorePart&) = delete;
  StorePart& operator=(const StorePart&) = delete;

 protected:
  ~StorePart() = default;
  StoreCore& core_;
};

}  // namespace mck
