#pragma once

#include <QAbstractProxyModel>
#include <QPersistentModelIndex>
#include <QPointer>
#include <QVector>
#include <vector>

namespace periscope::models {

class MessageModel;

// Shows the rows of a flat source model that filterRows() found, or all of them. Rows the
// source appends while a filter is set stay hidden until the next setRows(): a live filter
// would have to match on the GUI thread. Removals, sorting and data changes in the source
// are followed; a source reset clears the filter.
class MessageFilterProxy final : public QAbstractProxyModel
{
    Q_OBJECT

public:
    explicit MessageFilterProxy(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *model) override;

    // Source rows to show; sorted here, duplicates and rows out of range dropped.
    void setRows(QVector<int> rows);
    void clearFilter();
    bool isFiltered() const { return m_filtered; }

    QModelIndex mapToSource(const QModelIndex &proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex &sourceIndex) const override;
    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;

private:
    int sourceRow(int row) const { return m_filtered ? m_rows[row] : row; }
    // [first, last) of our rows that show source rows [sourceFirst, sourceLast].
    std::pair<int, int> proxyRange(int sourceFirst, int sourceLast) const;
    void setFilter(bool filtered, QVector<int> rows);

    void onRowsAboutToBeInserted(const QModelIndex &parent, int first, int last);
    void onRowsInserted(const QModelIndex &parent, int first, int last);
    void onRowsAboutToBeRemoved(const QModelIndex &parent, int first, int last);
    void onRowsRemoved(const QModelIndex &parent, int first, int last);
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                       const QList<int> &roles);
    void onHeaderDataChanged(Qt::Orientation orientation, int first, int last);
    void onLayoutAboutToBeChanged();
    void onLayoutChanged();
    void onAboutToReset();
    void onReset();

    QVector<int> m_rows; // ascending source rows, used while m_filtered
    bool m_filtered = false;
    bool m_forwarding = false; // a forwarded insert or remove is open
    std::pair<int, int> m_removing{0, 0};

    // Kept across a source layout change.
    QPointer<MessageModel> m_messages;
    std::vector<qint64> m_layoutSequences;
    QList<QPersistentModelIndex> m_layoutSourceRows;
    QModelIndexList m_layoutProxy;
    QList<QPersistentModelIndex> m_layoutProxySource;
};

} // namespace periscope::models
