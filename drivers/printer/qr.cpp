#include "drivers/printer/qr.h"

#include <qrencode.h>

namespace mck::printer {

Result<QrMatrix> EncodeQr(const std::string& content) {
  if (content.empty()) {
    return Status::Error(Code::kInvalidArgument, "empty QR content", "Mã QR không có nội dung");
  }
  // 8-bit mode keeps the bytes exactly as given; version 0 = the smallest that fits.
  QRcode* code = QRcode_encodeData(static_cast<int>(content.size()),
                                   reinterpret_cast<const unsigned char*>(content.data()), 0, QR_ECLEVEL_M);
  if (!code) {
    return Status::Error(Code::kInvalidArgument,
                         "content too long for a QR code (" + std::to_string(content.size()) + " bytes)",
                         "Nội dung quá dài để in thành mã QR");
  }
  QrMatrix m;
  m.size = code->width;
  m.dark.resize(static_cast<size_t>(m.size) * m.size);
  for (size_t i = 0; i < m.dark.size(); ++i) m.dark[i] = code->data[i] & 1;
  QRcode_free(code);
  return m;
}

}  // namespace mck::printer
