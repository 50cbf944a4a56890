#include "window/navigator.h"

#include <QHeaderView>
#include <QMenu>
#include <QPainter>

namespace periscope::widgets {

namespace {
constexpr int kIdRole = Qt::UserRole + 1;
constexpr int kPaneRole = Qt::UserRole + 2; // -1 on profile rows

QIcon colourDot(const QString &colour)
{
    QPixmap pm(12, 12);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(colour.isEmpty() ? QStringLiteral("#9e9e9e") : colour));
    p.drawEllipse(1, 1, 10, 10);
    return QIcon(pm);
}
} // namespace

Navigator::Navigator(QWidget *parent)
    : QTreeWidget(parent)
{
    setObjectName(QStringLiteral("navigator"));
    setHeaderHidden(true);
    setColumnCount(1);
    setUniformRowHeights(true);
    setContextMenuPolicy(Qt::CustomContextMenu);
    connect(this, &QTreeWidget::itemActivated, this, &Navigator::onActivated);
    connect(this, &QTreeWidget::itemDoubleClicked, this, &Navigator::onActivated);
    connect(this, &QWidget::customContextMenuRequested, this, &Navigator::showMenu);
}

void Navigator::paintEvent(QPaintEvent *event)
{
    QTreeWidget::paintEvent(event);
    if (topLevelItemCount() > 0)
        return;
    // An empty white box reads as broken; say what belongs here.
    QPainter painter(viewport());
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(viewport()->rect().adjusted(8, 8, -8, -8),
                     Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap,
                     tr("No connections yet.\nAdd one with File → New connection… or the "
                        "context menu here."));
}

void Navigator::setProfiles(const QList<profiles::Profile> &profiles)
{
    const QString current = currentProfileId();
    clear();
    for (const profiles::Profile &p : profiles) {
        auto *item = new QTreeWidgetItem(this, {p.name});
        m_names.insert(p.id, p.name);
        item->setData(0, kIdRole, p.id);
        item->setData(0, kPaneRole, -1);
        item->setIcon(0, colourDot(p.colour));
        item->setToolTip(0, p.bootstrap + (p.readOnly ? tr(" (read-only)") : QString()));
        if (m_connected.contains(p.id))
            setConnected(p.id, true);
        if (p.id == current)
            setCurrentItem(item);
    }
}

QTreeWidgetItem *Navigator::profileItem(const QString &profileId) const
{
    for (int i = 0; i < topLevelItemCount(); ++i)
        if (topLevelItem(i)->data(0, kIdRole).toString() == profileId)
            return topLevelItem(i);
    return nullptr;
}

void Navigator::addPaneItems(QTreeWidgetItem *profile)
{
    const QList<QPair<QString, Pane>> panes = {{tr("Overview"), Pane::Overview},
                                               {tr("Brokers"), Pane::Brokers},
                                               {tr("Topics"), Pane::Topics},
                                               {tr("Consumer Groups"), Pane::Groups}};
    for (const auto &[label, pane] : panes) {
        auto *child = new QTreeWidgetItem(profile, {label});
        child->setData(0, kIdRole, profile->data(0, kIdRole));
        child->setData(0, kPaneRole, int(pane));
    }
}

void Navigator::setConnected(const QString &profileId, bool connected, const QString &stateText)
{
    if (connected)
        m_connected.insert(profileId);
    else
        m_connected.remove(profileId);
    QTreeWidgetItem *item = profileItem(profileId);
    if (!item)
        return;
    QFont font = item->font(0);
    font.setBold(connected);
    item->setFont(0, font);
    if (!stateText.isEmpty())
        item->setStatusTip(0, stateText);
    if (connected && item->childCount() == 0) {
        addPaneItems(item);
        item->setExpanded(true);
    } else if (!connected) {
        qDeleteAll(item->takeChildren());
    }
}

void Navigator::setProblem(const QString &profileId, const QString &problem, const QString &detail)
{
    QTreeWidgetItem *item = profileItem(profileId);
    if (!item)
        return;
    const QString name = m_names.value(profileId, item->text(0));
    item->setText(0, problem.isEmpty() ? name : name + QStringLiteral(" — ") + problem);
    item->setForeground(0, problem.isEmpty() ? palette().brush(QPalette::Text)
                                             : QBrush(QColor(0xc6, 0x28, 0x28)));
    item->setToolTip(0, detail);
}

QString Navigator::currentProfileId() const
{
    const QTreeWidgetItem *item = currentItem();
    return item ? item->data(0, kIdRole).toString() : QString();
}

void Navigator::onActivated(QTreeWidgetItem *item)
{
    if (!item)
        return;
    const QString id = item->data(0, kIdRole).toString();
    const int pane = item->data(0, kPaneRole).toInt();
    if (pane >= 0)
        Q_EMIT paneRequested(id, Pane(pane));
    else if (!m_connected.contains(id))
        Q_EMIT connectRequested(id);
}

void Navigator::showMenu(const QPoint &pos)
{
    QTreeWidgetItem *item = itemAt(pos);
    const QString id = item ? item->data(0, kIdRole).toString() : QString();
    QMenu menu(this);
    if (!id.isEmpty()) {
        if (m_connected.contains(id))
            menu.addAction(tr("Disconnect"), this, [this, id] { Q_EMIT disconnectRequested(id); });
        else
            menu.addAction(tr("Connect"), this, [this, id] { Q_EMIT connectRequested(id); });
        menu.addSeparator();
        menu.addAction(tr("Edit…"), this, [this, id] { Q_EMIT editRequested(id); });
        menu.addAction(tr("Duplicate"), this, [this, id] { Q_EMIT duplicateRequested(id); });
        menu.addAction(tr("Delete…"), this, [this, id] { Q_EMIT deleteRequested(id); });
        menu.addSeparator();
    }
    menu.addAction(tr("New connection…"), this, &Navigator::newProfileRequested);
    menu.exec(viewport()->mapToGlobal(pos));
}

} // namespace periscope::widgets
