#include "groups/resetplanmodel.h"

#include "common/modelutil.h"
#include "groups/lagformat.h"

namespace periscope::models {

using monitor::ResetStep;

namespace {

// "+5", "-3", "0"; empty when either side is unknown.
QString changeText(const ResetStep &s)
{
    if (s.next < 0 || s.current < 0)
        return {};
    const qint64 change = s.next - s.current;
    return (change > 0 ? QStringLiteral("+") : QString()) + formatCount(change);
}

} // namespace

ResetPlanModel::ResetPlanModel(QObject *parent)
    : RowTableModel(ColumnCount, parent)
{}

void ResetPlanModel::setPlan(const QList<ResetStep> &steps)
{
    // Always a new plan: the dialog empties the table whenever its inputs change.
    resetRows(steps);
}

QVariant ResetPlanModel::data(const QModelIndex &index, int role) const
{
    const ResetStep *s = index.isValid() ? stepAt(index.row()) : nullptr;
    if (!s)
        return {};
    const int column = index.column();
    if (role == Qt::TextAlignmentRole)
        return column == Topic || column == Note ? QVariant() : numberAlignment();
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Topic:
        return s->topic;
    case Partition:
        return s->partition;
    case Current:
        return formatOffset(s->current);
    case New:
        return formatOffset(s->next);
    case Change:
        return changeText(*s);
    case Note:
        return s->note;
    }
    return {};
}

QVariant ResetPlanModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[ColumnCount] = {QT_TR_NOOP("Topic"),   QT_TR_NOOP("Partition"),
                                                   QT_TR_NOOP("Current"), QT_TR_NOOP("New"),
                                                   QT_TR_NOOP("Change"),  QT_TR_NOOP("Note")};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace periscope::models
