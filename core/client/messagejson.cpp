#include "messagejson.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

namespace periscope::client {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("periscope::client::MessageJson", text);
}

// Bytewise is safe: the bytes are valid UTF-8, and every byte that needs escaping is ASCII.
void appendJsonString(QByteArray &out, QByteArrayView utf8)
{
    static const char hex[] = "0123456789abcdef";
    out.append('"');
    for (const char c : utf8) {
        switch (c) {
        case '"':
            out.append("\\\"");
            break;
        case '\\':
            out.append("\\\\");
            break;
        case '\n':
            out.append("\\n");
            break;
        case '\r':
            out.append("\\r");
            break;
        case '\t':
            out.append("\\t");
            break;
        default:
            if (uchar(c) < 0x20) {
                out.append("\\u00");
                out.append(hex[uchar(c) >> 4]);
                out.append(hex[uchar(c) & 15]);
            } else {
                out.append(c);
            }
        }
    }
    out.append('"');
}

void appendBytes(QByteArray &out, const QByteArray &bytes, bool isNull)
{
    if (isNull) {
        out.append("null");
    } else if (isExactUtf8(bytes)) {
        appendJsonString(out, bytes);
    } else {
        out.append("{\"base64\":\"");
        out.append(bytes.toBase64());
        out.append("\"}");
    }
}

QByteArray headersJson(const MessageBatch &batch, qsizetype i)
{
    QByteArray out("[");
    const QList<MessageHeader> headers = batch.headers(i);
    for (qsizetype h = 0; h < headers.size(); ++h) {
        out.append(h ? ",{\"name\":" : "{\"name\":");
        appendBytes(out, headers[h].name, false);
        out.append(",\"value\":");
        appendBytes(out, headers[h].value, headers[h].isNull);
        out.append('}');
    }
    out.append(']');
    return out;
}

// A JSON value back into bytes; `what` names it in the error.
bool decodeBytes(const QJsonValue &v, const QString &what, bool nullable,
                 std::optional<QByteArray> *out, QString *error)
{
    if ((v.isNull() || v.isUndefined()) && nullable) {
        out->reset();
        return true;
    }
    if (v.isString()) {
        QByteArray bytes = v.toString().toUtf8();
        *out = bytes.isNull() ? QByteArray("") : bytes;
        return true;
    }
    if (v.isObject() && v.toObject().size() == 1 && v.toObject().value(u"base64").isString()) {
        const auto decoded =
            QByteArray::fromBase64Encoding(v.toObject().value(u"base64").toString().toLatin1(),
                                           QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            *error = tr("%1 has invalid base64").arg(what);
            return false;
        }
        *out = decoded.decoded.isNull() ? QByteArray("") : decoded.decoded;
        return true;
    }
    *error = nullable ? tr("%1 must be a string, an object with \"base64\", or null").arg(what)
                      : tr("%1 must be a string or an object with \"base64\"").arg(what);
    return false;
}

// Missing or null gives `fallback`; anything but an integer in [min, max] is an error.
bool readInteger(const QJsonObject &o, const char *name, qint64 min, qint64 max, qint64 fallback,
                 qint64 *out, QString *error)
{
    const QJsonValue v = o.value(QLatin1String(name));
    if (v.isUndefined() || v.isNull()) {
        *out = fallback;
        return true;
    }
    // toInteger() falls back to its argument unless the number is integral.
    if (!v.isDouble() || v.toInteger(0) != v.toInteger(1) || v.toInteger() < min ||
        v.toInteger() > max) {
        *error = tr("\"%1\" must be a whole number (at least %2) or null")
                     .arg(QLatin1String(name))
                     .arg(min);
        return false;
    }
    *out = v.toInteger();
    return true;
}

QByteArray csvField(const QByteArray &text)
{
    if (!text.isEmpty() && !text.contains(',') && !text.contains('"') && !text.contains('\n') &&
        !text.contains('\r'))
        return text;
    QByteArray quoted = text;
    quoted.replace('"', "\"\"");
    return '"' + quoted + '"';
}

QByteArray csvBytes(const QByteArray &bytes)
{
    if (bytes.isNull())
        return {};
    if (isExactUtf8(bytes))
        return csvField(bytes);
    return "base64:" + bytes.toBase64();
}

} // namespace

bool isExactUtf8(QByteArrayView bytes)
{
    bool ascii = true;
    for (const char c : bytes)
        if (uchar(c) >= 0x80) {
            ascii = false;
            break;
        }
    if (ascii)
        return true;
    // Qt's decoders, the JSON parser's included, drop a leading BOM: such bytes are not
    // exact text, the comparison below sends them to base64.
    QStringDecoder decoder(QStringConverter::Utf8, QStringConverter::Flag::Stateless);
    const QString text = decoder.decode(bytes);
    return !decoder.hasError() && QByteArrayView(text.toUtf8()) == bytes;
}

QByteArray toJsonLine(const MessageBatch &batch, qsizetype i)
{
    const MessageRecord &r = batch.record(i);
    QByteArray out;
    out.reserve(96 + r.keyLength + r.valueLength + r.headersLength);
    out.append("{\"partition\":").append(QByteArray::number(r.partition));
    out.append(",\"offset\":").append(QByteArray::number(r.offset));
    out.append(",\"timestamp\":");
    out.append(r.timestamp < 0 ? QByteArray("null") : QByteArray::number(r.timestamp));
    out.append(",\"timestampType\":");
    out.append(r.timestampType == 1   ? "\"create\""
               : r.timestampType == 2 ? "\"logAppend\""
                                      : "null");
    out.append(",\"key\":");
    appendBytes(out, batch.key(i), r.keyLength < 0);
    out.append(",\"value\":");
    appendBytes(out, batch.value(i), r.valueLength < 0);
    out.append(",\"headers\":").append(headersJson(batch, i));
    out.append('}');
    return out;
}

bool parseJsonLine(QByteArrayView line, ParsedMessage *out, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(line.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = tr("not valid JSON: %1 at character %2")
                     .arg(parseError.errorString())
                     .arg(parseError.offset + 1);
        return false;
    }
    if (!doc.isObject()) {
        *error = tr("not a JSON object");
        return false;
    }
    const QJsonObject o = doc.object();
    static const QStringList known = {u"partition"_qs,     u"offset"_qs, u"timestamp"_qs,
                                      u"timestampType"_qs, u"key"_qs,    u"value"_qs,
                                      u"headers"_qs};
    for (const QString &name : o.keys())
        if (!known.contains(name)) {
            *error = tr("unknown field \"%1\"").arg(name);
            return false;
        }
    ParsedMessage m;
    qint64 n = 0;
    if (!readInteger(o, "partition", -1, INT32_MAX, -1, &n, error))
        return false;
    m.partition = int(n);
    if (!readInteger(o, "offset", -1, INT64_MAX, -1, &m.offset, error) ||
        !readInteger(o, "timestamp", -1, INT64_MAX, -1, &m.timestamp, error))
        return false;
    const QJsonValue type = o.value(u"timestampType");
    if (!type.isUndefined() && !type.isNull() && type != u"create"_qs && type != u"logAppend"_qs) {
        *error = tr("\"timestampType\" must be \"create\", \"logAppend\" or null");
        return false;
    }
    if (!decodeBytes(o.value(u"key"), QStringLiteral("\"key\""), true, &m.key, error) ||
        !decodeBytes(o.value(u"value"), QStringLiteral("\"value\""), true, &m.value, error))
        return false;
    const QJsonValue headers = o.value(u"headers");
    if (!headers.isUndefined() && !headers.isNull() && !headers.isArray()) {
        *error = tr("\"headers\" must be an array or null");
        return false;
    }
    const QJsonArray list = headers.toArray();
    for (qsizetype h = 0; h < list.size(); ++h) {
        const QString where = tr("header %1").arg(h + 1);
        const QJsonObject header = list.at(h).toObject();
        if (!list.at(h).isObject() || header.size() > 2 || !header.contains(u"name") ||
            (header.size() == 2 && !header.contains(u"value"))) {
            *error = tr("%1 must be an object with \"name\" and \"value\"").arg(where);
            return false;
        }
        std::optional<QByteArray> name, value;
        if (!decodeBytes(header.value(u"name"), where + QStringLiteral(": \"name\""), false, &name,
                         error) ||
            !decodeBytes(header.value(u"value"), where + QStringLiteral(": \"value\""), true,
                         &value, error))
            return false;
        m.headers.push_back({*name, value.value_or(QByteArray()), !value.has_value()});
    }
    *out = std::move(m);
    return true;
}

QByteArray csvHeader()
{
    return QByteArrayLiteral("partition,offset,timestamp,key,value,headers");
}

QByteArray toCsvLine(const MessageBatch &batch, qsizetype i)
{
    const MessageRecord &r = batch.record(i);
    QByteArray out = QByteArray::number(r.partition) + ',' + QByteArray::number(r.offset) + ',';
    if (r.timestamp >= 0)
        out.append(QByteArray::number(r.timestamp));
    out.append(',').append(csvBytes(r.keyLength < 0 ? QByteArray() : batch.key(i)));
    out.append(',').append(csvBytes(r.valueLength < 0 ? QByteArray() : batch.value(i)));
    out.append(',').append(csvField(headersJson(batch, i)));
    return out;
}

} // namespace periscope::client
