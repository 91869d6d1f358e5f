// The termios speed constant for a baud rate, shared by the serial QR scanner (drivers/card) and
// serial printers (drivers/printer). B0 (0) for a rate the kiosk does not support.
#pragma once

#include <termios.h>

namespace mck {

inline speed_t SerialBaudConstant(int baud) {
  switch (baud) {
    case 1200: return B1200;
    case 2400: return B2400;
    case 4800: return B4800;
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    case 230400: return B230400;
    default: return B0;
  }
}

}  // namespace mck
