#pragma once

// Messages as text for export and import. One message is one JSON line:
//
//   {"partition":0,"offset":12,"timestamp":1760000000000,"timestampType":"create",
//    "key":"k1","value":{"base64":"/wA="},"headers":[{"name":"n","value":null}]}
//
// Keys, values and header values (and header names) are bytes written as:
//   null                          the value is absent (a null key, a tombstone)
//   "text"                        the bytes are valid UTF-8 (and start with no BOM)
//   {"base64":"…"}                anything else (binary, broken UTF-8)
// so a line read back gives the very same bytes, empty staying empty and null staying
// null. "timestamp" is ms since the epoch or null; "timestampType" is "create",
// "logAppend" or null. On import only key, value, headers and timestamp matter; each may be
// left out (null, or no headers).

#include "messagebatch.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <optional>
#include <vector>

namespace periscope::client {

// No trailing newline.
QByteArray toJsonLine(const MessageBatch &batch, qsizetype i);

struct ParsedMessage
{
    int partition = -1;
    qint64 offset = -1;
    qint64 timestamp = -1;
    std::optional<QByteArray> key, value;
    std::vector<MessageHeader> headers;
};

// False, with *error saying what is wrong ("\"value\" must be …"), on a malformed line.
bool parseJsonLine(QByteArrayView line, ParsedMessage *out, QString *error);

// CSV, RFC 4180 quoting, no trailing line end. Columns: partition, offset, timestamp (ms,
// empty when none), key, value, headers (the JSON array above). A null key or value is an
// empty field, an empty one is "" (quoted); bytes that are not valid UTF-8 are written as
// "base64:" followed by their base64. Export only: nothing reads CSV back.
QByteArray csvHeader();
QByteArray toCsvLine(const MessageBatch &batch, qsizetype i);

// Whether `bytes` are UTF-8 that decodes and encodes back to exactly themselves (a leading
// byte-order mark does not: Qt drops it when decoding).
bool isExactUtf8(QByteArrayView bytes);

} // namespace periscope::client
