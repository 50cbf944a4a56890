#pragma once

#include "client/types.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace periscope::models {

// The partitions of one topic with their offsets.
class PartitionsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Partition, Leader, Replicas, Isr, Start, End, Messages, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1 };

    explicit PartitionsModel(QObject *parent = nullptr);

    // Another topic or another set of partitions resets the model (and forgets offsets);
    // the same topic with the same partitions updates in place.
    void setTopic(const client::TopicInfo &topic);
    // Entries for other topics or unknown partitions are ignored.
    void setOffsets(const QList<client::PartitionOffsets> &offsets);
    void clear();

    QString topicName() const { return m_topic; }
    const client::PartitionInfo *partitionAt(int row) const;
    const client::PartitionOffsets *offsetsAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        client::PartitionInfo partition;
        client::PartitionOffsets offsets; // start/end -1 until known
        bool hasOffsets = false;
    };

    QVariant displayData(const Row &row, int column) const;
    QVariant sortData(const Row &row, int column) const;
    QString toolTip(const Row &row, int column) const;

    QString m_topic;
    QList<Row> m_rows;
    QHash<int, int> m_rowById;
};

} // namespace periscope::models
