// mck::Log — the project's one log call. Each entry has a severity, a component ("sync",
// "kiosk", "store", ...) and an English message with codes and counts only; when the entry
// concerns a dossier, its client id (a random UUID, the one identifier of a dossier that says
// nothing about the citizen) goes in its own field. Never a name, ID number, phone or birth date.
//
// Where entries go is the sink's business: stderr by default ("component: message"), the
// systemd journal when the composition root installs kiosk/core/journal.h's sink (fields
// PRIORITY, MCK_COMPONENT, MCK_CLIENT_ID). JournalFields is the pure mapping both use.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mck {

// syslog(3) priorities, as the journal's PRIORITY field takes them.
enum class Severity { kError = 3, kWarning = 4, kNotice = 5, kInfo = 6, kDebug = 7 };

struct LogRecord {
  Severity severity = Severity::kInfo;
  std::string component;  // [a-z0-9_-]{1,32}; anything else is logged as "other"
  std::string message;
  std::string client_id;  // a dossier's client id (UUID) or empty; anything but a UUID is dropped
};

// The journal fields of one entry: MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, MCK_COMPONENT and,
// when the record carries a well-formed client id, MCK_CLIENT_ID. Pure.
std::vector<std::pair<std::string, std::string>> JournalFields(const LogRecord& record,
                                                               std::string_view identifier = "mot-cua");
// The stderr form: "component: message" (plus " [dossier <client id>]"). Pure.
std::string StderrLine(const LogRecord& record);

using LogSink = std::function<void(const LogRecord&)>;
// Replaces the sink for the whole process (null: stderr). Call it at start-up, before threads.
void SetLogSink(LogSink sink);
// Thread-safe.
void Log(Severity severity, std::string_view component, std::string_view message, std::string_view client_id = {});

}  // namespace mck
