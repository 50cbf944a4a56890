// MessageModel's cells: previews, tooltips and sort values, all built on demand.
#include "browser/messagemodel.h"
#include "common/modelutil.h"

#include <QDateTime>
#include <QFont>
#include <algorithm>

namespace periscope::models {

using client::MessageRecord;

namespace {

constexpr qint32 SortBytes = 1024;

struct Field
{
    const char *data = nullptr;
    qint32 length = -1; // -1: null
    bool truncated = false;
    qint64 originalLength = -1;
};

Field fieldOf(const MessageRows::Ref &ref, bool value)
{
    const MessageRecord &r = ref.record();
    const char *arena = ref.batch->arena().constData();
    if (!value)
        return {arena + r.keyOffset, r.keyLength, false, r.keyLength};
    const bool truncated = (r.flags & 1) != 0;
    return {arena + r.valueOffset, r.valueLength, truncated,
            truncated ? r.originalValueLength : r.valueLength};
}

QString ellipsis()
{
    return QString(QChar(0x2026));
}

// Mostly control characters (or any NUL) reads better as hex even when it is valid UTF-8.
bool looksBinary(QByteArrayView bytes)
{
    qsizetype controls = 0;
    for (const char c : bytes) {
        const auto u = uchar(c);
        if (u == 0)
            return true;
        if ((u < 0x20 && u != '\t' && u != '\n' && u != '\r') || u == 0x7f)
            ++controls;
    }
    return controls * 10 > bytes.size();
}

QString hexPreview(QByteArrayView bytes, bool more)
{
    const qsizetype shown = std::min<qsizetype>(bytes.size(), (MessageModel::PreviewChars - 2) / 2);
    QString out = QStringLiteral("0x") +
                  QString::fromLatin1(QByteArray::fromRawData(bytes.data(), shown).toHex());
    if (more || shown < bytes.size())
        out += ellipsis();
    return out;
}

QString textPreview(const QString &text, bool more)
{
    qsizetype length = std::min<qsizetype>(text.size(), MessageModel::PreviewChars);
    if (length < text.size() && length > 0 && text.at(length - 1).isHighSurrogate())
        --length;
    QString out;
    out.reserve(length + 1);
    for (qsizetype i = 0; i < length; ++i) {
        const char16_t c = text.at(i).unicode();
        if (c == u'\n' || c == u'\r' || c == u'\t')
            out += QChar(u' ');
        else if (c < 0x20)
            out += QChar(char16_t(0x2400 + c)); // the Control Pictures block
        else if (c == 0x7f)
            out += QChar(char16_t(0x2421));
        else
            out += QChar(c);
    }
    if (more || length < text.size())
        out += ellipsis();
    return out;
}

// One line of at most PreviewChars characters: text when the bytes are UTF-8, hex otherwise.
QString preview(const Field &f)
{
    const QByteArrayView all(f.data, f.length);
    // Four bytes per character are enough; the cut may split a character, so back off.
    QByteArrayView head =
        all.first(std::min<qsizetype>(all.size(), MessageModel::PreviewChars * 4));
    const bool cut = head.size() < all.size();
    bool utf8 = head.isValidUtf8();
    for (int back = 1; !utf8 && cut && back <= 3 && back < head.size(); ++back) {
        if (head.chopped(back).isValidUtf8()) {
            head = head.chopped(back);
            utf8 = true;
        }
    }
    if (!utf8 || looksBinary(head))
        return hexPreview(head, cut || f.truncated);
    return textPreview(QString::fromUtf8(head), cut || f.truncated);
}

bool isNullField(const MessageRows::Ref &ref, int column)
{
    const MessageRecord &r = ref.record();
    return (column == MessageModel::Key && r.keyLength < 0) ||
           (column == MessageModel::Value && r.valueLength < 0);
}

} // namespace

int MessageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows.size();
}

int MessageModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MessageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MessageRows::Ref ref = m_rows.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayData(ref, column);
    case SortRole:
        return sortData(ref, column);
    case Qt::ToolTipRole:
        return toolTip(ref, column);
    case Qt::TextAlignmentRole:
        if (column == Partition || column == Offset || column == Headers || column == Size)
            return numberAlignment();
        return {};
    case Qt::ForegroundRole:
        return isNullField(ref, column) ? QVariant(mutedColor()) : QVariant();
    case Qt::FontRole:
        if (isNullField(ref, column)) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    default:
        return {};
    }
}

QString MessageModel::timeText(qint64 msecs) const
{
    return QDateTime::fromMSecsSinceEpoch(msecs, m_utc ? Qt::UTC : Qt::LocalTime)
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

QVariant MessageModel::displayData(const MessageRows::Ref &ref, int column) const
{
    const MessageRecord &r = ref.record();
    switch (column) {
    case Partition:
        return QString::number(r.partition);
    case Offset:
        return QString::number(r.offset);
    case Timestamp:
        return r.timestamp < 0 ? QString() : timeText(r.timestamp);
    case Key:
    case Value: {
        const Field f = fieldOf(ref, column == Value);
        if (f.length < 0)
            return tr("null");
        return f.length == 0 && !f.truncated ? QString() : preview(f);
    }
    case Headers:
        return formatCount(r.headerCount);
    case Size: {
        const QString size = formatCount(messageSize(r));
        return (r.flags & 1) ? QString(size + QChar(u' ') + QChar(0x2702)) : size;
    }
    }
    return {};
}

QVariant MessageModel::sortData(const MessageRows::Ref &ref, int column) const
{
    const MessageRecord &r = ref.record();
    switch (column) {
    case Partition:
        return qint64(r.partition);
    case Offset:
        return r.offset;
    case Timestamp:
        return r.timestamp;
    case Key:
    case Value: {
        const Field f = fieldOf(ref, column == Value);
        if (f.length < 0)
            return {};
        return QByteArray(f.data, std::min(f.length, SortBytes));
    }
    case Headers:
        return qint64(r.headerCount);
    case Size:
        return messageSize(r);
    }
    return {};
}

QVariant MessageModel::toolTip(const MessageRows::Ref &ref, int column) const
{
    const MessageRecord &r = ref.record();
    switch (column) {
    case Timestamp: {
        if (r.timestamp < 0)
            return tr("No timestamp");
        const QString time = timeText(r.timestamp) + (m_utc ? QStringLiteral(" UTC") : QString());
        if (r.timestampType == 2)
            return QString(time + QChar(u' ') + tr("(log append)"));
        if (r.timestampType == 1)
            return QString(time + QChar(u' ') + tr("(create time)"));
        return time;
    }
    case Key:
    case Value: {
        const Field f = fieldOf(ref, column == Value);
        if (f.length < 0)
            return tr("null");
        if (f.truncated)
            return tr("Only the first %1 of %2 bytes were loaded")
                .arg(formatCount(f.length), formatCount(f.originalLength));
        if (f.length == 0)
            return tr("empty");
        return f.length == 1 ? tr("1 byte") : tr("%1 bytes").arg(formatCount(f.length));
    }
    case Headers: {
        if (r.headerCount == 0)
            return {};
        QStringList lines;
        const QList<client::MessageHeader> headers = ref.batch->headers(ref.index);
        for (const client::MessageHeader &h :
             headers.first(std::min<qsizetype>(headers.size(), 20))) {
            const Field value{h.value.constData(), h.isNull ? -1 : qint32(h.value.size())};
            lines << QString::fromUtf8(h.name) + QStringLiteral(": ") +
                         (h.isNull ? tr("null") : preview(value));
        }
        if (headers.size() > lines.size())
            lines << ellipsis();
        return lines.join(QChar(u'\n'));
    }
    case Size:
        if (r.flags & 1)
            return tr("Value truncated in the browser; the message holds %1 bytes")
                .arg(formatCount(messageSize(r)));
        return {};
    }
    return {};
}

QVariant MessageModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::TextAlignmentRole)
        return section == Partition || section == Offset || section == Headers || section == Size
                   ? numberAlignment()
                   : QVariant();
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Partition:
        return tr("Partition");
    case Offset:
        return tr("Offset");
    case Timestamp:
        return m_utc ? tr("Timestamp (UTC)") : tr("Timestamp");
    case Key:
        return tr("Key");
    case Value:
        return tr("Value");
    case Headers:
        return tr("Headers");
    case Size:
        return tr("Size");
    }
    return {};
}

} // namespace periscope::models
