#include "common/quickopenmodel.h"

#include <algorithm>
#include <tuple>
#include <vector>

namespace periscope::models {

namespace {

struct Candidate
{
    int tier;   // 0 prefix, 1 substring, 2 subsequence
    int spread; // where the substring starts, or how far the subsequence spreads
    int length;
    int index;
    bool operator<(const Candidate &o) const
    {
        return std::tie(tier, spread, length, index) <
               std::tie(o.tier, o.spread, o.length, o.index);
    }
};

// The span from the first to the last matched character, or -1 when needle's characters
// do not all occur in order.
int subsequenceSpread(QStringView haystack, QStringView needle)
{
    int first = -1;
    qsizetype h = 0;
    for (const QChar c : needle) {
        while (h < haystack.size() && haystack[h] != c)
            ++h;
        if (h == haystack.size())
            return -1;
        if (first < 0)
            first = int(h);
        ++h;
    }
    return int(h) - first;
}

} // namespace

QuickOpenModel::QuickOpenModel(QObject *parent)
    : QAbstractListModel(parent)
{}

void QuickOpenModel::setEntries(const QList<QuickOpenEntry> &entries)
{
    beginResetModel();
    m_entries = entries;
    m_folded.clear();
    m_folded.reserve(entries.size());
    for (const QuickOpenEntry &e : entries)
        m_folded.append(e.name.toCaseFolded());
    m_shown = match(m_query, m_limit);
    endResetModel();
}

QList<int> QuickOpenModel::match(const QString &text, int limit) const
{
    QList<int> out;
    if (limit <= 0)
        return out;
    const QString needle = text.trimmed().toCaseFolded();
    if (needle.isEmpty()) {
        const int n = std::min(limit, int(m_entries.size()));
        out.reserve(n);
        for (int i = 0; i < n; ++i)
            out.append(i);
        return out;
    }

    std::vector<Candidate> found;
    for (int i = 0; i < m_folded.size(); ++i) {
        const QString &name = m_folded[i];
        const int length = int(name.size());
        if (name.startsWith(needle)) {
            found.push_back({0, 0, length, i});
            continue;
        }
        if (const qsizetype at = name.indexOf(needle); at > 0) {
            found.push_back({1, int(at), length, i});
            continue;
        }
        if (const int spread = subsequenceSpread(name, needle); spread >= 0)
            found.push_back({2, spread, length, i});
    }

    const auto keep = found.begin() + std::min<qsizetype>(limit, qsizetype(found.size()));
    std::partial_sort(found.begin(), keep, found.end());
    out.reserve(keep - found.begin());
    for (auto it = found.begin(); it != keep; ++it)
        out.append(it->index);
    return out;
}

void QuickOpenModel::setQuery(const QString &text, int limit)
{
    if (text == m_query && limit == m_limit)
        return;
    beginResetModel();
    m_query = text;
    m_limit = limit;
    m_shown = match(m_query, m_limit);
    endResetModel();
}

const QuickOpenEntry *QuickOpenModel::entryAt(int row) const
{
    return row >= 0 && row < m_shown.size() ? &m_entries[m_shown[row]] : nullptr;
}

int QuickOpenModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_shown.size());
}

QVariant QuickOpenModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QuickOpenEntry &e = m_entries[m_shown[index.row()]];
    switch (role) {
    case Qt::DisplayRole:
        return e.name;
    case Qt::ToolTipRole:
        return e.kind == QuickOpenEntry::Kind::Topic ? tr("Topic on %1").arg(e.cluster)
                                                     : tr("Consumer group on %1").arg(e.cluster);
    case KindRole:
        return int(e.kind);
    case ClusterRole:
        return e.cluster;
    case EntryIndexRole:
        return m_shown[index.row()];
    default:
        return {};
    }
}

} // namespace periscope::models
