#pragma once

#include "client/types.h"

#include <QAbstractTableModel>

namespace periscope::models {

// The configuration of one topic or broker, read-only: a dialog elsewhere edits it.
class ConfigsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, Value, Source, Default, Flags, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1 };

    explicit ConfigsModel(QObject *parent = nullptr);

    // The same resource with the same entry names updates in place, otherwise resets.
    void setResource(const client::ConfigResource &resource);
    const client::ConfigResource &resource() const { return m_resource; }
    const client::ConfigEntry *entryAt(int row) const;
    void clear();

    static QString sourceLabel(client::ConfigEntry::Source source);
    static QString maskedValue();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant displayData(const client::ConfigEntry &entry, int column) const;
    QString flagsText(const client::ConfigEntry &entry) const;

    client::ConfigResource m_resource;
};

} // namespace periscope::models
