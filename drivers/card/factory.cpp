// MakeCardReader: the one place a composition root turns the config into a reader.
#include "drivers/card/card_reader.h"
#include "drivers/card/pcsc_reader.h"
#include "drivers/card/sim_reader.h"
#include "offline/domain/config.h"

namespace mck::card {

Result<std::unique_ptr<CardReader>> MakeCardReader(const KioskConfig& config) {
  if (config.card_reader == "pcsc") {
    PcscOptions o;
    o.reader_name = config.card_reader_name;
    o.csca_file = config.csca_file;
    o.crl_file = config.crl_file;
    return std::unique_ptr<CardReader>(std::make_unique<PcscCardReader>(std::move(o)));
  }
  if (config.card_reader == "sim") {
    if (config.card_sim_file.empty()) {
      return Status::Error(Code::kInvalidArgument, "devices.card_sim_file is empty",
                           "Chưa cấu hình devices.card_sim_file cho đầu đọc mô phỏng");
    }
    auto sim = SimCardReader::Open(config.card_sim_file);
    if (!sim.ok()) return sim.status();
    return std::unique_ptr<CardReader>(std::move(*sim));
  }
  return Status::Error(Code::kInvalidArgument, "devices.card_reader must be \"pcsc\" or \"sim\"",
                       "devices.card_reader phải là \"pcsc\" hoặc \"sim\"");
}

}  // namespace mck::card
