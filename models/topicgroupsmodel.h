#pragma once

#include "monitor/lagsnapshot.h"

#include <QAbstractTableModel>

namespace periscope::models {

// The groups that consume one topic, with their lag on that topic alone.
class TopicGroupsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Group, State, Partitions, Lag, Status, Behind, ColumnCount };

    explicit TopicGroupsModel(QString topic, QObject *parent = nullptr);

    void setSnapshot(const monitor::SnapshotPtr &snapshot);
    QString groupAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        QString group;
        QString state;
        int partitions = 0;
        qint64 lag = -1;
        monitor::LagStatus status = monitor::LagStatus::Unknown;
        double behind = -1;
    };

    QString m_topic;
    QList<Row> m_rows;
};

} // namespace periscope::models
