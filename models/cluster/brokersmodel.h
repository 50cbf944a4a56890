#pragma once

#include "client/types.h"

#include <QAbstractTableModel>
#include <QList>

namespace periscope::models {

class BrokersModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Id, Address, Rack, Controller, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1 };

    explicit BrokersModel(QObject *parent = nullptr);

    // Updates in place when the broker ids are unchanged, otherwise resets.
    void setBrokers(const QList<client::BrokerInfo> &brokers);
    const client::BrokerInfo *brokerAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<client::BrokerInfo> m_brokers;
};

} // namespace periscope::models
