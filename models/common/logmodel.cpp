#include "common/logmodel.h"

#include "common/modelutil.h"

#include <algorithm>

namespace periscope::models {

namespace {

bool isError(int level)
{
    return level >= LogLine::Error && level < LogLine::Off;
}

} // namespace

LogModel::LogModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void LogModel::appendLines(const QList<LogLine> &lines)
{
    if (lines.isEmpty())
        return;
    const int newErrors = int(std::count_if(lines.cbegin(), lines.cend(),
                                            [](const LogLine &l) { return isError(l.level); }));

    // A batch larger than the ring only contributes its newest lines.
    const int incoming = int(std::min<qsizetype>(lines.size(), m_capacity));
    const int overflow = int(m_lines.size()) + incoming - m_capacity;
    if (overflow > 0)
        dropOldest(overflow);

    const int first = int(m_lines.size());
    beginInsertRows({}, first, first + incoming - 1);
    for (auto it = lines.cend() - incoming; it != lines.cend(); ++it)
        m_lines.push_back(*it);
    endInsertRows();

    if (newErrors > 0) {
        m_errorCount += newErrors;
        Q_EMIT errorCountChanged(m_errorCount);
    }
}

void LogModel::dropOldest(int count)
{
    count = std::min(count, int(m_lines.size()));
    if (count <= 0)
        return;
    beginRemoveRows({}, 0, count - 1);
    m_lines.erase(m_lines.begin(), m_lines.begin() + count);
    endRemoveRows();
}

void LogModel::clear()
{
    if (!m_lines.empty()) {
        beginResetModel();
        m_lines.clear();
        endResetModel();
    }
    if (m_errorCount != 0) {
        m_errorCount = 0;
        Q_EMIT errorCountChanged(0);
    }
}

void LogModel::setCapacity(int capacity)
{
    m_capacity = std::max(1, capacity);
    dropOldest(int(m_lines.size()) - m_capacity);
}

const LogLine *LogModel::lineAt(int row) const
{
    return row >= 0 && row < int(m_lines.size()) ? &m_lines[size_t(row)] : nullptr;
}

QString LogModel::levelName(int level)
{
    switch (level) {
    case LogLine::Trace:
        return tr("trace");
    case LogLine::Debug:
        return tr("debug");
    case LogLine::Info:
        return tr("info");
    case LogLine::Warning:
        return tr("warning");
    case LogLine::Error:
        return tr("error");
    case LogLine::Critical:
        return tr("critical");
    default:
        return QString::number(level);
    }
}

int LogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_lines.size());
}

int LogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LogLine &line = m_lines[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time:
            return line.time.toString(QStringLiteral("HH:mm:ss.zzz"));
        case Level:
            return levelName(line.level);
        case Source:
            return line.logger;
        case Message:
            return line.text;
        }
        return {};
    case SortRole:
        switch (index.column()) {
        case Time:
            return line.time;
        case Level:
            return line.level;
        case Source:
            return line.logger;
        case Message:
            return line.text;
        }
        return {};
    case LevelRole:
        return line.level;
    case Qt::ToolTipRole:
        if (index.column() == Time)
            return QLocale().toString(line.time, QLocale::LongFormat);
        if (index.column() == Message && line.text.size() > 80)
            return line.text;
        return {};
    case Qt::ForegroundRole:
        if (isError(line.level))
            return errorColor();
        if (line.level == LogLine::Warning)
            return warningColor();
        if (line.level <= LogLine::Debug)
            return mutedColor();
        return {};
    default:
        return {};
    }
}

QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Level:
        return tr("Level");
    case Source:
        return tr("Source");
    case Message:
        return tr("Message");
    }
    return {};
}

} // namespace periscope::models
