// Digitised papers (issue 13, docs/scanning.md "The count"): a citizen's paper scanned at the
// kiosk is a PDF attachment of the dossier, and the dossier body's documents[i] says so:
//   {"id": "cccd", "presented_at_counter": true, "digitised": {"sha256": "<64 hex>", "pages": 2}}
// The sha256 must be one of the dossier's attachments. The store keeps how many documents of a
// dossier were digitised in a column of its own, so the province's count survives the purge of
// the body after retention.
//
// Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "offline/domain/status.h"

namespace mck {

// How many of body["documents"] carry a valid "digitised" object. kInvalidArgument (with a
// Vietnamese message and the document's path, never its content) when one is malformed (not an
// object, sha256 not 64 lowercase hex, pages not a whole number 1..1000) or names a sha256 that is
// not in `attachment_sha256s`. A body without documents counts 0. `list` names the array: a
// dossier's "documents", or a counter decision's "documents_received" (the officer's scans).
Result<int> CountDigitisedDocuments(const nlohmann::json& body, const std::vector<std::string>& attachment_sha256s,
                                    const std::string& list = "documents");

// The same for a stored body, whose "attachments" hold the stored sha256s (DossierStore::Submit
// writes them): used by the upgrade to schema 4 for the bodies still there.
Result<int> CountDigitisedInStoredBody(const nlohmann::json& body);

}  // namespace mck
