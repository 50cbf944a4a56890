#pragma once

#include "monitor/lagsnapshot.h"

#include <QAbstractTableModel>

namespace periscope::models {

// A group's partitions: committed offset, end offset, lag, owner and status.
class GroupOffsetsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Topic, Partition, Committed, End, Lag, Owner, Status, Behind, ColumnCount };

    explicit GroupOffsetsModel(QObject *parent = nullptr);

    // Same partitions as before: updated in place; otherwise a reset.
    void setPartitions(const QList<monitor::PartitionLag> &partitions);
    const monitor::PartitionLag *partitionAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant display(const monitor::PartitionLag &p, int column) const;

    QList<monitor::PartitionLag> m_rows;
};

} // namespace periscope::models
