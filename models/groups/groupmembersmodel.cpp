#include "groups/groupmembersmodel.h"

#include "common/modelutil.h"

#include <QMap>
#include <algorithm>

namespace periscope::models {

QString assignmentText(const QList<QPair<QString, int>> &assignment)
{
    QMap<QString, QList<int>> byTopic;
    for (const auto &[topic, partition] : assignment)
        byTopic[topic].append(partition);
    QStringList topics;
    for (auto it = byTopic.begin(); it != byTopic.end(); ++it) {
        QList<int> &parts = it.value();
        std::sort(parts.begin(), parts.end());
        QStringList ranges;
        for (qsizetype i = 0; i < parts.size();) {
            qsizetype j = i;
            while (j + 1 < parts.size() && parts[j + 1] == parts[j] + 1)
                ++j;
            ranges.append(j == i ? QString::number(parts[i])
                                 : QStringLiteral("%1–%2").arg(parts[i]).arg(parts[j]));
            i = j + 1;
        }
        topics.append(it.key() + QLatin1Char(' ') + ranges.join(QLatin1String(", ")));
    }
    return topics.join(QLatin1String("; "));
}

GroupMembersModel::GroupMembersModel(QObject *parent)
    : RowTableModel(ColumnCount, parent)
{}

void GroupMembersModel::setMembers(const QList<client::GroupMember> &members)
{
    replaceRows(members, [](const client::GroupMember &a, const client::GroupMember &b) {
        return a.memberId == b.memberId;
    });
}

QVariant GroupMembersModel::data(const QModelIndex &index, int role) const
{
    const client::GroupMember *member = index.isValid() ? rowAt(index.row()) : nullptr;
    if (!member)
        return {};
    const client::GroupMember &m = *member;
    if (role == Qt::DisplayRole || role == SortRoleValue) {
        switch (index.column()) {
        case ClientId:
            return m.clientId;
        case Host:
            // Kafka reports the address as Java prints it, "/10.0.0.7".
            return m.host.startsWith(QLatin1Char('/')) ? m.host.mid(1) : m.host;
        case Partitions:
            return role == SortRoleValue ? QVariant(int(m.assignment.size()))
                                         : QVariant(assignmentText(m.assignment));
        case MemberId:
            return m.memberId;
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole && index.column() == Partitions)
        return tr("%n partition(s)", nullptr, int(m.assignment.size()));
    return {};
}

QVariant GroupMembersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ClientId:
        return tr("Client id");
    case Host:
        return tr("Host");
    case Partitions:
        return tr("Assigned partitions");
    case MemberId:
        return tr("Member id");
    default:
        return {};
    }
}

} // namespace periscope::models
