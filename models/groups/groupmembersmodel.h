#pragma once

#include "client/grouptypes.h"
#include "common/rowtablemodel.h"

namespace periscope::models {

// A group's members and the partitions each is assigned.
class GroupMembersModel final : public RowTableModel<client::GroupMember>
{
    Q_OBJECT

public:
    enum Column { ClientId, Host, Partitions, MemberId, ColumnCount };

    explicit GroupMembersModel(QObject *parent = nullptr);

    void setMembers(const QList<client::GroupMember> &members);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
};

// "audit 1; orders 0–3, 7": a member's assignment, partitions folded into ranges.
QString assignmentText(const QList<QPair<QString, int>> &assignment);

} // namespace periscope::models
