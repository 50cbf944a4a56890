#include "topics/configsmodel.h"

#include "common/modelutil.h"

#include <QStringList>
#include <algorithm>

namespace periscope::models {

using client::ConfigEntry;
using client::ConfigResource;

namespace {

bool sameEntry(const ConfigEntry &a, const ConfigEntry &b)
{
    return a.name == b.name && a.value == b.value && a.isNull == b.isNull && a.source == b.source &&
           a.isDefault == b.isDefault && a.readOnly == b.readOnly && a.sensitive == b.sensitive;
}

} // namespace

ConfigsModel::ConfigsModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void ConfigsModel::setResource(const ConfigResource &resource)
{
    const bool sameNames =
        resource.type == m_resource.type && resource.name == m_resource.name &&
        std::equal(resource.entries.cbegin(), resource.entries.cend(), m_resource.entries.cbegin(),
                   m_resource.entries.cend(),
                   [](const ConfigEntry &a, const ConfigEntry &b) { return a.name == b.name; });
    if (!sameNames) {
        beginResetModel();
        m_resource = resource;
        endResetModel();
        return;
    }
    int first = -1;
    int last = -1;
    for (int row = 0; row < resource.entries.size(); ++row) {
        if (sameEntry(resource.entries[row], m_resource.entries[row]))
            continue;
        m_resource.entries[row] = resource.entries[row];
        first = first < 0 ? row : first;
        last = row;
    }
    if (first >= 0)
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
}

const ConfigEntry *ConfigsModel::entryAt(int row) const
{
    return row >= 0 && row < m_resource.entries.size() ? &m_resource.entries[row] : nullptr;
}

void ConfigsModel::clear()
{
    beginResetModel();
    m_resource = {};
    endResetModel();
}

QString ConfigsModel::sourceLabel(ConfigEntry::Source source)
{
    using S = ConfigEntry::Source;
    switch (source) {
    case S::DynamicTopic:
        return tr("topic");
    case S::DynamicBroker:
        return tr("broker (dynamic)");
    case S::DynamicDefaultBroker:
        return tr("cluster default (dynamic)");
    case S::StaticBroker:
        return tr("broker (static)");
    case S::Default:
        return tr("default");
    case S::Unknown:
        break;
    }
    return tr("unknown");
}

QString ConfigsModel::maskedValue()
{
    return QString(6, QChar(0x2022));
}

int ConfigsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_resource.entries.size());
}

int ConfigsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ConfigsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ConfigEntry &e = m_resource.entries[index.row()];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayData(e, column);
    case SortRole:
        switch (column) {
        case Value:
            return e.sensitive ? QString() : e.value;
        case Source:
            return int(e.source);
        case Default:
            return e.isDefault ? 1 : 0;
        case Flags:
            return (e.sensitive ? 2 : 0) | (e.readOnly ? 1 : 0);
        default:
            return displayData(e, column);
        }
    case Qt::ToolTipRole:
        if (column == Value && e.sensitive)
            return tr("Sensitive: the broker never returns this value");
        if (column == Value && e.isNull)
            return tr("No value set");
        return tr("Source: %1").arg(sourceLabel(e.source));
    case Qt::ForegroundRole:
        // Values that merely repeat the default recede; what someone set stands out.
        return e.isDefault ? QVariant(mutedColor()) : QVariant();
    case Qt::TextAlignmentRole:
        return column == Default ? QVariant::fromValue(int(Qt::AlignCenter)) : QVariant();
    default:
        return {};
    }
}

QVariant ConfigsModel::displayData(const ConfigEntry &e, int column) const
{
    switch (column) {
    case Name:
        return e.name;
    case Value:
        if (e.sensitive)
            return maskedValue();
        return e.isNull ? QString() : e.value;
    case Source:
        return sourceLabel(e.source);
    case Default:
        return e.isDefault ? checkMark() : QString();
    case Flags:
        return flagsText(e);
    }
    return {};
}

QString ConfigsModel::flagsText(const ConfigEntry &e) const
{
    QStringList flags;
    if (e.sensitive)
        flags << tr("sensitive");
    if (e.readOnly)
        flags << tr("read-only");
    return flags.join(QLatin1String(", "));
}

QVariant ConfigsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Name");
    case Value:
        return tr("Value");
    case Source:
        return tr("Source");
    case Default:
        return tr("Default");
    case Flags:
        return tr("Flags");
    }
    return {};
}

} // namespace periscope::models
