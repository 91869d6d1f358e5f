#include "kiosk/app/qr_matrix.h"

#include <qrencode.h>

namespace mck::app {

Result<QrMatrix> EncodeQr(const std::string& text) {
  QRcode* code = QRcode_encodeData(static_cast<int>(text.size()), reinterpret_cast<const unsigned char*>(text.data()),
                                   0, QR_ECLEVEL_M);
  if (!code) {
    return Status::Error(Code::kInvalidArgument, "text does not fit in a QR code", "Nội dung quá dài cho mã QR");
  }
  QrMatrix m;
  m.size = code->width;
  m.dark.resize(static_cast<size_t>(code->width) * static_cast<size_t>(code->width));
  for (size_t i = 0; i < m.dark.size(); ++i) m.dark[i] = (code->data[i] & 1) != 0;
  QRcode_free(code);
  return m;
}

}  // namespace mck::app
