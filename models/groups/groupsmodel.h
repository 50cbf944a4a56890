#pragma once

#include "monitor/lagsnapshot.h"

#include <QAbstractTableModel>

namespace periscope::models {

// One row per consumer group of the latest lag snapshot. A refresh with the same groups
// updates the rows in place (one ranged dataChanged); a different set resets the model.
class GroupsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Id,
        State,
        Protocol,
        Members,
        Coordinator,
        Topics,
        Lag,
        Status,
        Behind,
        ColumnCount
    };

    explicit GroupsModel(QObject *parent = nullptr);

    void setSnapshot(monitor::SnapshotPtr snapshot);
    monitor::SnapshotPtr snapshot() const { return m_snapshot; }
    const monitor::GroupLag *groupAt(int row) const;
    int rowOf(const QString &id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant display(const monitor::GroupLag &g, int column) const;
    QVariant sortValue(const monitor::GroupLag &g, int column) const;

    monitor::SnapshotPtr m_snapshot;
};

// "consumer · range" or "simple": librdkafka 2.0.2 gives the assignor, not the protocol type.
QString groupProtocolText(const monitor::GroupLag &group);

} // namespace periscope::models
