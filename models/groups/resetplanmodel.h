#pragma once

#include "common/rowtablemodel.h"
#include "monitor/offsetreset.h"

namespace periscope::models {

// The preview of an offset reset: current → new for every partition it touches. A model
// rather than table items, since a large group's plan has tens of thousands of rows.
class ResetPlanModel final : public RowTableModel<monitor::ResetStep>
{
    Q_OBJECT

public:
    enum Column { Topic, Partition, Current, New, Change, Note, ColumnCount };

    explicit ResetPlanModel(QObject *parent = nullptr);

    void setPlan(const QList<monitor::ResetStep> &steps);
    const monitor::ResetStep *stepAt(int row) const { return rowAt(row); }

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
};

} // namespace periscope::models
