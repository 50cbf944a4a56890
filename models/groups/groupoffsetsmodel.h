#pragma once

#include "common/rowtablemodel.h"
#include "monitor/lagsnapshot.h"

namespace periscope::models {

// A group's partitions: committed offset, end offset, lag, owner and status.
class GroupOffsetsModel final : public RowTableModel<monitor::PartitionLag>
{
    Q_OBJECT

public:
    enum Column { Topic, Partition, Committed, End, Lag, Owner, Status, Behind, ColumnCount };

    explicit GroupOffsetsModel(QObject *parent = nullptr);

    // Same partitions as before: updated in place; otherwise a reset.
    void setPartitions(const QList<monitor::PartitionLag> &partitions);
    const monitor::PartitionLag *partitionAt(int row) const { return rowAt(row); }

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant display(const monitor::PartitionLag &p, int column) const;
};

} // namespace periscope::models
