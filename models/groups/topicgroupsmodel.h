#pragma once

#include "common/rowtablemodel.h"
#include "monitor/lagsnapshot.h"

namespace periscope::models {

// The groups that consume one topic, with their lag on that topic alone.
// One group's reading of the topic.
struct TopicGroupRow
{
    QString group;
    QString state;
    int partitions = 0;
    qint64 lag = -1;
    monitor::LagStatus status = monitor::LagStatus::Unknown;
    double behind = -1;
};

class TopicGroupsModel final : public RowTableModel<TopicGroupRow>
{
    Q_OBJECT

public:
    enum Column { Group, State, Partitions, Lag, Status, Behind, ColumnCount };

    explicit TopicGroupsModel(QString topic, QObject *parent = nullptr);

    void setSnapshot(const monitor::SnapshotPtr &snapshot);
    QString groupAt(int row) const;

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QString m_topic;
};

} // namespace periscope::models
