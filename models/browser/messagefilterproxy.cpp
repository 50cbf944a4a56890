#include "browser/messagefilterproxy.h"

#include "browser/messagemodel.h"

#include <algorithm>

namespace periscope::models {

MessageFilterProxy::MessageFilterProxy(QObject *parent)
    : QAbstractProxyModel(parent)
{}

void MessageFilterProxy::setSourceModel(QAbstractItemModel *model)
{
    beginResetModel();
    if (sourceModel())
        disconnect(sourceModel(), nullptr, this, nullptr);
    QAbstractProxyModel::setSourceModel(model);
    m_messages = qobject_cast<MessageModel *>(model);
    m_filtered = false;
    m_rows.clear();
    if (model) {
        using M = QAbstractItemModel;
        using P = MessageFilterProxy;
        connect(model, &M::rowsAboutToBeInserted, this, &P::onRowsAboutToBeInserted);
        connect(model, &M::rowsInserted, this, &P::onRowsInserted);
        connect(model, &M::rowsAboutToBeRemoved, this, &P::onRowsAboutToBeRemoved);
        connect(model, &M::rowsRemoved, this, &P::onRowsRemoved);
        connect(model, &M::dataChanged, this, &P::onDataChanged);
        connect(model, &M::headerDataChanged, this, &P::onHeaderDataChanged);
        connect(model, &M::layoutAboutToBeChanged, this, &P::onLayoutAboutToBeChanged);
        connect(model, &M::layoutChanged, this, &P::onLayoutChanged);
        connect(model, &M::modelAboutToBeReset, this, &P::onAboutToReset);
        connect(model, &M::modelReset, this, &P::onReset);
        // Rare in a flat message table: handled as a reset.
        connect(model, &M::rowsAboutToBeMoved, this, &P::onAboutToReset);
        connect(model, &M::rowsMoved, this, &P::onReset);
        connect(model, &M::columnsAboutToBeInserted, this, &P::onAboutToReset);
        connect(model, &M::columnsInserted, this, &P::onReset);
        connect(model, &M::columnsAboutToBeRemoved, this, &P::onAboutToReset);
        connect(model, &M::columnsRemoved, this, &P::onReset);
        connect(model, &M::columnsAboutToBeMoved, this, &P::onAboutToReset);
        connect(model, &M::columnsMoved, this, &P::onReset);
    }
    endResetModel();
}

void MessageFilterProxy::setRows(QVector<int> rows)
{
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    const int count = sourceModel() ? sourceModel()->rowCount() : 0;
    rows.erase(std::remove_if(rows.begin(), rows.end(),
                              [count](int row) { return row < 0 || row >= count; }),
               rows.end());
    setFilter(true, std::move(rows));
}

void MessageFilterProxy::clearFilter()
{
    if (m_filtered)
        setFilter(false, {});
}

void MessageFilterProxy::setFilter(bool filtered, QVector<int> rows)
{
    beginResetModel();
    m_filtered = filtered;
    m_rows = std::move(rows);
    endResetModel();
}

std::pair<int, int> MessageFilterProxy::proxyRange(int sourceFirst, int sourceLast) const
{
    const auto lo = std::lower_bound(m_rows.cbegin(), m_rows.cend(), sourceFirst);
    const auto hi = std::upper_bound(lo, m_rows.cend(), sourceLast);
    return {int(lo - m_rows.cbegin()), int(hi - m_rows.cbegin())};
}

QModelIndex MessageFilterProxy::mapToSource(const QModelIndex &proxyIndex) const
{
    if (!proxyIndex.isValid() || !sourceModel() || proxyIndex.model() != this)
        return {};
    return sourceModel()->index(sourceRow(proxyIndex.row()), proxyIndex.column());
}

QModelIndex MessageFilterProxy::mapFromSource(const QModelIndex &sourceIndex) const
{
    if (!sourceIndex.isValid() || sourceIndex.model() != sourceModel() ||
        sourceIndex.parent().isValid())
        return {};
    if (!m_filtered)
        return createIndex(sourceIndex.row(), sourceIndex.column());
    const auto it = std::lower_bound(m_rows.cbegin(), m_rows.cend(), sourceIndex.row());
    if (it == m_rows.cend() || *it != sourceIndex.row())
        return {};
    return createIndex(int(it - m_rows.cbegin()), sourceIndex.column());
}

QModelIndex MessageFilterProxy::index(int row, int column, const QModelIndex &parent) const
{
    if (parent.isValid() || row < 0 || column < 0 || row >= rowCount() || column >= columnCount())
        return {};
    return createIndex(row, column);
}

QModelIndex MessageFilterProxy::parent(const QModelIndex &) const
{
    return {};
}

int MessageFilterProxy::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() || !sourceModel())
        return 0;
    return m_filtered ? int(m_rows.size()) : sourceModel()->rowCount();
}

int MessageFilterProxy::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !sourceModel() ? 0 : sourceModel()->columnCount();
}

bool MessageFilterProxy::hasChildren(const QModelIndex &parent) const
{
    return !parent.isValid() && rowCount() > 0 && columnCount() > 0;
}

void MessageFilterProxy::onRowsAboutToBeInserted(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid() || m_filtered)
        return;
    beginInsertRows({}, first, last);
    m_forwarding = true;
}

void MessageFilterProxy::onRowsInserted(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid())
        return;
    if (m_forwarding) {
        m_forwarding = false;
        endInsertRows();
        return;
    }
    const int count = last - first + 1;
    for (auto it = std::lower_bound(m_rows.begin(), m_rows.end(), first); it != m_rows.end(); ++it)
        *it += count;
}

void MessageFilterProxy::onRowsAboutToBeRemoved(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid())
        return;
    m_removing = m_filtered ? proxyRange(first, last) : std::pair{first, last + 1};
    if (m_removing.first < m_removing.second) {
        beginRemoveRows({}, m_removing.first, m_removing.second - 1);
        m_forwarding = true;
    }
}

void MessageFilterProxy::onRowsRemoved(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid())
        return;
    if (m_filtered) {
        const int count = last - first + 1;
        m_rows.erase(m_rows.begin() + m_removing.first, m_rows.begin() + m_removing.second);
        for (auto it = m_rows.begin() + m_removing.first; it != m_rows.end(); ++it)
            *it -= count;
    }
    if (m_forwarding) {
        m_forwarding = false;
        endRemoveRows();
    }
}

void MessageFilterProxy::onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                       const QList<int> &roles)
{
    if (!topLeft.isValid() || topLeft.parent().isValid())
        return;
    const auto [first, end] = m_filtered ? proxyRange(topLeft.row(), bottomRight.row())
                                         : std::pair{topLeft.row(), bottomRight.row() + 1};
    if (first < end)
        Q_EMIT dataChanged(index(first, topLeft.column()), index(end - 1, bottomRight.column()),
                           roles);
}

void MessageFilterProxy::onHeaderDataChanged(Qt::Orientation orientation, int first, int last)
{
    if (orientation == Qt::Horizontal || !m_filtered) {
        Q_EMIT headerDataChanged(orientation, first, last);
        return;
    }
    const auto [from, end] = proxyRange(first, last);
    if (from < end)
        Q_EMIT headerDataChanged(orientation, from, end - 1);
}

void MessageFilterProxy::onLayoutAboutToBeChanged()
{
    Q_EMIT layoutAboutToBeChanged();
    m_layoutProxy = persistentIndexList();
    m_layoutProxySource.clear();
    for (const QModelIndex &i : std::as_const(m_layoutProxy))
        m_layoutProxySource.append(QPersistentModelIndex(mapToSource(i)));
    if (!m_filtered)
        return;
    // A MessageModel names its rows by sequence numbers; that spares a persistent index
    // per filtered row.
    if (m_messages) {
        m_layoutSequences.reserve(std::size_t(m_rows.size()));
        for (const int row : std::as_const(m_rows))
            m_layoutSequences.push_back(m_messages->rows().sequenceAt(row));
    } else {
        for (const int row : std::as_const(m_rows))
            m_layoutSourceRows.append(QPersistentModelIndex(sourceModel()->index(row, 0)));
    }
}

void MessageFilterProxy::onLayoutChanged()
{
    if (m_filtered) {
        QVector<int> rows;
        if (m_messages) {
            for (const int row : m_messages->rowsOfSequences(m_layoutSequences))
                if (row >= 0)
                    rows.append(row);
        } else {
            for (const QPersistentModelIndex &i : std::as_const(m_layoutSourceRows))
                if (i.isValid())
                    rows.append(i.row());
        }
        std::sort(rows.begin(), rows.end());
        m_rows = std::move(rows);
    }
    QModelIndexList after;
    after.reserve(m_layoutProxy.size());
    for (const QPersistentModelIndex &source : std::as_const(m_layoutProxySource))
        after.append(mapFromSource(source));
    changePersistentIndexList(m_layoutProxy, after);
    m_layoutSequences = {};
    m_layoutSourceRows.clear();
    m_layoutProxy.clear();
    m_layoutProxySource.clear();
    Q_EMIT layoutChanged();
}

void MessageFilterProxy::onAboutToReset()
{
    beginResetModel();
}

void MessageFilterProxy::onReset()
{
    m_filtered = false;
    m_rows.clear();
    endResetModel();
}

} // namespace periscope::models
