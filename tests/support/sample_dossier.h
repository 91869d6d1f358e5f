// The applicant the tests' sample dossiers are made for (header only: nlohmann::json alone).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace mck::test {

// Nguyễn Thị Hoà, typed at the kiosk (no chip). `address` empty: no address and no phone;
// otherwise that address with the phone 0912345678.
inline nlohmann::json SampleApplicant(const std::string& address = "") {
  nlohmann::json a = {{"id_number", "024190001234"},   {"full_name", "Nguyễn Thị Hoà"},
                      {"date_of_birth", "1990-03-15"}, {"gender", "Nữ"},
                      {"identity_source", "manual"},   {"chip_verified", false}};
  if (!address.empty()) {
    a["address"] = address;
    a["phone"] = "0912345678";
  }
  return a;
}

}  // namespace mck::test
