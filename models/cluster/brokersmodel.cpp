#include "cluster/brokersmodel.h"

#include "common/modelutil.h"

#include <algorithm>

namespace periscope::models {

using client::BrokerInfo;

BrokersModel::BrokersModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void BrokersModel::setBrokers(const QList<BrokerInfo> &brokers)
{
    const bool sameIds =
        std::equal(brokers.cbegin(), brokers.cend(), m_brokers.cbegin(), m_brokers.cend(),
                   [](const BrokerInfo &a, const BrokerInfo &b) { return a.id == b.id; });
    if (!sameIds) {
        beginResetModel();
        m_brokers = brokers;
        endResetModel();
        return;
    }
    int first = -1;
    int last = -1;
    for (int row = 0; row < brokers.size(); ++row) {
        const BrokerInfo &a = brokers[row];
        const BrokerInfo &b = m_brokers[row];
        if (a.host == b.host && a.port == b.port && a.rack == b.rack &&
            a.controller == b.controller)
            continue;
        m_brokers[row] = a;
        first = first < 0 ? row : first;
        last = row;
    }
    if (first >= 0)
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
}

const BrokerInfo *BrokersModel::brokerAt(int row) const
{
    return row >= 0 && row < m_brokers.size() ? &m_brokers[row] : nullptr;
}

int BrokersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_brokers.size());
}

int BrokersModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BrokersModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const BrokerInfo &b = m_brokers[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Id:
            return QString::number(b.id);
        case Address:
            return b.address();
        case Rack:
            return b.rack;
        case Controller:
            return b.controller ? checkMark() : QString();
        }
        return {};
    case SortRole:
        switch (index.column()) {
        case Id:
            return b.id;
        case Address:
            return b.address();
        case Rack:
            return b.rack;
        case Controller:
            return b.controller ? 1 : 0;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Controller && b.controller)
            return tr("This broker is the cluster controller");
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Id)
            return numberAlignment();
        if (index.column() == Controller)
            return QVariant::fromValue(int(Qt::AlignCenter));
        return {};
    default:
        return {};
    }
}

QVariant BrokersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Id:
        return tr("Id");
    case Address:
        return tr("Host:Port");
    case Rack:
        return tr("Rack");
    case Controller:
        return tr("Controller");
    }
    return {};
}

} // namespace periscope::models
