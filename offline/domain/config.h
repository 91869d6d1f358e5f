// The kiosk's configuration (config/kiosk.toml, read with toml++). Every key is known: an unknown
// key or a bad value is refused with the file, the line and the reason, so a typo never silently
// becomes a default at a commune counter. docs/configuration.md lists every key.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "offline/domain/status.h"

namespace mck {

struct KioskConfig {
  // [kiosk]
  int kiosk_number = 1;      // 1..99; provisional codes start with K<number, 2 digits>
  std::string commune_code;  // agency electronic identifier, "000.00.24.H03"
  std::string commune_name;  // "UBND xã Mẫu"
  std::string province_name;
  std::filesystem::path data_dir = "/var/lib/mot-cua";
  std::string language = "vi";  // "vi" or "en"
  // [portal]
  std::string portal_url;  // "https://portal.example.gov.vn"; empty: not enrolled
  int connect_timeout_s = 10;
  int transfer_timeout_s = 60;
  int sync_interval_s = 30;
  int heartbeat_interval_s = 300;
  std::string proxy;          // "http://host:3128"; empty: no proxy, environment variables ignored
  int max_answer_kib = 1024;  // largest portal answer accepted (the catalog: max_catalog_kib)
  int max_catalog_kib = 16384;
  int cert_renew_days = 30;  // renew the client certificate when fewer days are left; 0: never
  // Dossier POSTs on the wire at once, acceptances of a batch in one transaction (docs/sync.md
  // "Overlapped delivery"); 1: one at a time, each acceptance its own transaction.
  int sync_in_flight = 4;
  // [privacy]
  int retention_days = 30;  // personal data purged this long after acceptance
  // [ui]
  int inactivity_timeout_s = 90;  // then the "Bạn còn ở đó không?" countdown
  int inactivity_countdown_s = 15;
  std::string tone_style = "new";  // Telex tone placement: "new" (hoà) or "old" (hòa)
  bool large_text = false;
  // [suggestions] answers a citizen can tap instead of typing, by form field id (a text field of
  // any procedure with that id): the commune's own places, e.g. birth_place = ["Trạm y tế xã Mẫu"].
  // At most 6 a field, each 1..100 characters of UTF-8 (NFC); docs/configuration.md.
  std::map<std::string, std::vector<std::string>> suggestions;
  // [display] (docs/accessibility.md)
  int dpi = 102;                    // the panel's pixels per inch: 1920x1080 at 21.5" is 102
  std::string theme = "standard";   // "standard" | "high_contrast": the colours a session starts with
  // [speech] read-aloud (drivers/speech, docs/speech.md)
  std::string speech_voice = "vi";  // espeak-ng: "vi", "vi-vn-x-central", "vi-vn-x-south"
  int speech_rate_wpm = 140;        // 80..300 words (syllables) a minute
  int speech_volume = 100;          // 0..200
  // [calling_display] the numbers served and waiting, in large type, on a second window (the
  // counter's TV), and each call said aloud (docs/calling-display.md)
  bool calling_display_enabled = false;
  int calling_display_index = -1;   // SDL display index, full screen there; -1: a window of width x height
  int calling_display_width = 1280, calling_display_height = 720;
  int calling_display_next = 3;     // waiting numbers shown per counter (0..6)
  // [payment] the commune's account for fees by VietQR (offline/domain/vietqr.h, docs/payment.md);
  // bank_bin empty: no payment QR is shown or printed (the fee is paid at the counter).
  std::string payment_bank_bin;       // the bank's 6-digit NAPAS BIN, "970415"
  std::string payment_account;        // the account number, ≤ 19 letters and digits
  std::string payment_account_name;   // as the bank shows it, "UBND XA MAU"
  bool payment_configured() const { return !payment_bank_bin.empty(); }
  // [staff]
  int pin_max_attempts = 5;
  int pin_lockout_s = 300;
  // [devices]
  // usb:/dev/usb/lp0 | serial:/dev/ttyUSB0?baud=19200 | tcp://HOST:9100 | file:PATH (development
  // only: every slip appended to a 0600 file). Empty or "none": no printer configured — never a
  // file by default, so a production kiosk cannot quietly collect slips on its disk.
  std::string printer;
  int printer_width_mm = 80;         // 58 or 80
  std::string card_reader = "sim";   // "pcsc" or "sim"
  std::string card_reader_name;      // PC/SC reader name substring; empty: first reader
  std::string card_sim_file;         // identities for the simulated reader (JSON)
  std::string qr_scanner = "wedge";  // "wedge" | "serial:/dev/ttyACM0?baud=9600" | "none"
  // The citizen's scanner (docs/scanning.md): "" or "none": none (the kiosk works without);
  // "sane" the first SANE device; "sane:NAME" that one ("sane:test:0", "sane:genesys:libusb:001:004").
  std::string scanner;
  std::string scanner_options;   // device options by SANE name for the technician: "NAME=VALUE,NAME=VALUE"
  int scan_max_pages = 20;       // pages per scanned paper
  int scan_max_dossier_mb = 25;  // scanned bytes per dossier (the PDFs together), MB
  std::string csca_file;             // CSCA certificates (PEM/DER) or an ICAO master list; empty: never "chip_verified"
  std::string crl_file;              // CRLs (PEM/DER) of those CSCAs; empty: no revocation check
  // [security]
  std::string key_protection;                   // "tpm" | "file"; empty: "tpm" when /dev/tpmrm0 exists
  std::string tpm_tcti = "device:/dev/tpmrm0";  // tpm2-tss TCTI ("swtpm:host=127.0.0.1,port=2321" for swtpm)
  // [signing] the officers' PKCS#11 signing token (docs/signing.md); empty module: not configured
  std::string signing_module;        // PKCS#11 module path, e.g. the token vendor's .so
  std::string signing_token_label;   // the token's label; empty: any
  std::string signing_token_serial;  // the token's serial number; empty: any
  std::string signing_ca_file;       // the officers' CA certificates (PEM); required with a module
  // [monitoring] (docs/monitoring.md)
  std::filesystem::path metrics_textfile;  // Prometheus textfile written after each sync pass; empty: off
  // [logging]
  std::string journal = "auto";  // "auto" (when JOURNAL_STREAM is set) | "on" | "off": entries to the systemd journal

  // Where the catalog seed lives (config/procedures.json next to the config file by default).
  std::filesystem::path catalog_seed;
  std::filesystem::path source_file;       // the file this was read from, for messages
  std::filesystem::path provisioned_file;  // the overlay applied over it (ApplyProvisioned); empty: none
};

// Reads and checks a config file. Relative paths in it are resolved against the file's folder.
Result<KioskConfig> LoadConfig(const std::filesystem::path& file);
// Same, from text (for tests); `name` is used in messages and as the base for relative paths.
Result<KioskConfig> ParseConfig(std::string_view text, const std::filesystem::path& name);

// The per-device values a technician provisions (kiosk/core/provisioning.h, `kioskctl provision`)
// live in the data directory, not in /etc/mot-cua/kiosk.toml: that file is a conffile shared by
// the whole fleet and read-only to the sandboxed kiosk (docs/configuration.md "Provisioned
// values"). The file name, under the data directory:
inline constexpr const char* kProvisionedFile = "provisioned.toml";

// Applies <config->data_dir>/provisioned.toml over *config when the file exists (Ok and nothing
// changed when it does not). Call it after the data directory is final (--data-dir applied) and
// before the store is opened (the kiosk number is in the provisional codes). Only the provisioned
// keys are allowed — [kiosk] number, commune_code, commune_name; [portal] url; [devices] printer,
// printer_width_mm, card_reader, card_reader_name, qr_scanner — with the checks of the /etc file;
// any other key (data_dir, [security], ...) is refused with the file and line, so the data
// directory can never widen what the kiosk's own user may change. Relative printer paths are
// resolved against the data directory.
Status ApplyProvisioned(KioskConfig* config);
// The same from text (tests, and provisioning's own check of what it is about to write).
Status ApplyProvisionedText(std::string_view text, const std::filesystem::path& name, KioskConfig* config);

}  // namespace mck
