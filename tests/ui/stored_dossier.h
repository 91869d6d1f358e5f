// The one dossier a kiosk run under tests/ui/run-kiosk-script stored in OUT/data (the script's
// config: kiosk number 7), opened with the real Store as the kiosk left it. REQUIREs exactly one.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>

#include "offline/store/store.h"

namespace mck::uitest {

inline DossierRecord TheStoredDossier(const std::filesystem::path& out) {
  StoreOptions so;
  so.data_dir = out / "data";
  so.kiosk_number = 7;
  auto store = Store::Open(so);
  REQUIRE(store.ok());
  auto list = (*store)->dossiers().List();
  REQUIRE(list.ok());
  REQUIRE(list->size() == 1);
  auto rec = (*store)->dossiers().Get(list->front().client_id);
  REQUIRE(rec.ok());
  return std::move(*rec);
}

}  // namespace mck::uitest
