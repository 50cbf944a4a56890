#pragma once

#include "client/types.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace periscope::models {

// The topics of one cluster with their message counts. Rows keep their order across
// refreshes as long as the set of names stays the same, so selections survive.
class TopicsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, Partitions, Replication, Messages, UnderReplicated, Internal, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1 };

    explicit TopicsModel(QObject *parent = nullptr);

    // Resets the model only when the set of topic names changes; otherwise updates the
    // rows in place and announces one ranged dataChanged.
    void setTopics(const QList<client::TopicInfo> &topics);
    // Sums end - start per topic. Topics absent from the list keep their previous count.
    void setOffsets(const QList<client::PartitionOffsets> &offsets);
    void clear();

    const client::TopicInfo *topicAt(int row) const;
    int rowOf(const QString &topic) const { return m_rowByName.value(topic, -1); }
    // -1 while unknown.
    qint64 messagesAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        client::TopicInfo topic;
        qint64 messages = -1;
        int underReplicated = 0;
        int offsetErrors = 0;
    };

    QVariant displayData(const Row &row, int column) const;
    QVariant sortData(const Row &row, int column) const;
    QVariant toolTip(const Row &row, int column) const;

    QList<Row> m_rows;
    QHash<QString, int> m_rowByName;
};

} // namespace periscope::models
