#pragma once

#include <QSortFilterProxyModel>

namespace periscope::models {

class GroupOffsetsModel;

// Sorts a group's partitions by comparing their fields directly rather than through
// QVariant, since a large group (tens of thousands of partitions) sorted by lag re-sorts at
// every sample. Equal values fall back to topic, then partition number, so the order is
// stable and readable: sorted by topic, partitions come in numeric order.
class GroupOffsetsProxy final : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit GroupOffsetsProxy(QObject *parent = nullptr);
    void setSourceModel(QAbstractItemModel *model) override; // a GroupOffsetsModel

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    const GroupOffsetsModel *m_offsets = nullptr;
};

} // namespace periscope::models
