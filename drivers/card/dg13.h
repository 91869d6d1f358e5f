// DG13, Vietnam's proprietary data group on the CCCD chip (shared/domain/vn-facts.md §2.4).
// Each item is a SEQUENCE { INTEGER field-number, value } where the value is a string
// (UTF8String, PrintableString, IA5String, BMPString, OCTET STRING) or, for the parents (13) and
// the spouse (14), a SEQUENCE of strings. Items are found by number wherever they sit: sources
// disagree on the wrapper (6D, a SEQUENCE with a version INTEGER and an OID, a SET), so the parser
// walks the whole TLV tree (depth-limited) and takes the first item of each number.
// Field 15/16 (old ID / other number, UNCONFIRMED): a 9- or 12-digit value is the old ID.
// Pure functions, thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "drivers/card/bytes.h"
#include "drivers/card/card_reader.h"

namespace mck::card {

// Field number -> its string values (one for most fields, two for the parents). Strings are
// NFC UTF-8; an item whose text is not valid UTF-8 is skipped.
using Dg13Fields = std::map<int, std::vector<std::string>>;

// kCorrupt for a malformed TLV anywhere in the file.
Result<Dg13Fields> ParseDg13(ByteView dg13);

// Copies the fields into an identity (does not touch source/chip_verified/mrz). Dates are
// turned into YYYY-MM-DD from dd/mm/yyyy, dd-mm-yyyy, ddmmyyyy or YYYY-MM-DD; a date in another
// form (e.g. "Không thời hạn") leaves the field absent.
void ApplyDg13(const Dg13Fields& fields, Identity* id);

// Builds a DG13 the way the sources describe it (6D { SEQUENCE { 1, OID, SET { items } } }),
// for tests, the simulator's self-checks and fuzz seeds.
Bytes BuildDg13(const Dg13Fields& fields);

}  // namespace mck::card
