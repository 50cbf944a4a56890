#include "groups/groupdetailpane.h"

#include "common/actionprogress.h"
#include "common/modelutil.h"
#include "common/paneutil.h"
#include "common/sessionhold.h"
#include "groups/groupactions.h"
#include "groups/groupmembersmodel.h"
#include "groups/groupoffsetsmodel.h"
#include "groups/groupoffsetsproxy.h"
#include "groups/groupsmodel.h"
#include "groups/lagformat.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace periscope::widgets {

GroupDetailPane::GroupDetailPane(client::ClusterSession *session, monitor::LagSampler *sampler,
                                 const QString &group, QWidget *parent)
    : QWidget(parent)
    , m_hold(new SessionHold(session, sampler, this))
    , m_group(group)
    , m_title(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_members(new models::GroupMembersModel(this))
    , m_offsets(new models::GroupOffsetsModel(this))
    , m_offsetsProxy(new models::GroupOffsetsProxy(this))
    , m_membersView(new QTableView(this))
    , m_offsetsView(new QTableView(this))
    , m_reset(new QPushButton(tr("Reset offsets…"), this))
    , m_delete(new QPushButton(tr("Delete group…"), this))
    , m_progress(new ActionProgress(this))
    , m_actions(new GroupActions(m_hold, m_progress, this))
{
    m_title->setText(QStringLiteral("<b>%1</b>").arg(group.toHtmlEscaped()));
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setObjectName(QStringLiteral("groupSummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_membersView->setObjectName(QStringLiteral("membersView"));
    m_offsetsView->setObjectName(QStringLiteral("offsetsView"));
    m_reset->setObjectName(QStringLiteral("resetButton"));
    m_delete->setObjectName(QStringLiteral("deleteGroupButton"));
    m_reset->setEnabled(m_actions->allowed());
    m_delete->setEnabled(m_actions->allowed());
    if (!m_actions->allowed()) {
        m_reset->setToolTip(tr("This profile is read-only."));
        m_delete->setToolTip(tr("This profile is read-only."));
    }

    // Through a proxy, like every sortable table: configureTable turns sorting on.
    auto *membersProxy = new QSortFilterProxyModel(this);
    membersProxy->setSourceModel(m_members);
    membersProxy->setSortRole(models::SortRoleValue);
    configureTable(m_membersView, membersProxy);
    m_membersView->horizontalHeader()->setSectionResizeMode(models::GroupMembersModel::Partitions,
                                                            QHeaderView::Stretch);
    m_offsetsProxy->setSourceModel(m_offsets);
    m_offsetsProxy->setSortRole(models::SortRoleValue);
    configureTable(m_offsetsView, m_offsetsProxy);
    m_offsetsView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_offsetsView->sortByColumn(models::GroupOffsetsModel::Topic, Qt::AscendingOrder);
    m_offsetsView->horizontalHeader()->setSectionResizeMode(models::GroupOffsetsModel::Topic,
                                                            QHeaderView::Stretch);
    m_offsetsView->setContextMenuPolicy(Qt::CustomContextMenu);

    auto *sampling = new QComboBox(this);
    fillSamplingCombo(sampling, sampler);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_title);
    bar->addStretch(1);
    bar->addWidget(new QLabel(tr("Lag sampled:"), this));
    bar->addWidget(sampling);
    bar->addWidget(m_reset);
    bar->addWidget(m_delete);
    auto *members = new QWidget(this);
    members->setObjectName(QStringLiteral("membersBox"));
    auto *membersLayout = new QVBoxLayout(members);
    membersLayout->setContentsMargins(0, 0, 0, 0);
    membersLayout->addWidget(new QLabel(tr("Members"), this));
    membersLayout->addWidget(m_membersView);
    auto *offsets = new QWidget(this);
    auto *offsetsLayout = new QVBoxLayout(offsets);
    offsetsLayout->setContentsMargins(0, 0, 0, 0);
    offsetsLayout->addWidget(new QLabel(tr("Offsets"), this));
    offsetsLayout->addWidget(m_offsetsView);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(members);
    split->addWidget(offsets);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_summary);
    layout->addWidget(m_progress);
    layout->addWidget(split, 1);

    connect(m_reset, &QPushButton::clicked, this, &GroupDetailPane::resetSelected);
    connect(m_delete, &QPushButton::clicked, this, [this] { m_actions->deleteGroup(m_group); });
    connect(m_offsetsView, &QWidget::customContextMenuRequested, this,
            &GroupDetailPane::showContextMenu);
    connect(sampler, &monitor::LagSampler::updated, this, &GroupDetailPane::update);
    showWhenEnded(m_hold, m_progress, {sampling, m_reset, m_delete});
    update();
    if (!sampler->snapshot() && !sampler->refreshing())
        sampler->refresh();
}

QString GroupDetailPane::summaryText() const
{
    return m_summary->text();
}

void GroupDetailPane::update()
{
    const monitor::LagSampler *sampler = m_hold->sampler();
    if (!sampler)
        return;
    const monitor::SnapshotPtr snapshot = sampler->snapshot();
    if (!snapshot) {
        m_summary->setText(tr("Reading the group…"));
        return;
    }
    const monitor::GroupLag *g = snapshot->group(m_group);
    if (!g) {
        m_summary->setText(tr("This group does not exist (any more)."));
        m_members->setMembers({});
        m_membersView->parentWidget()->hide();
        m_offsets->setPartitions({});
        return;
    }
    QString text =
        tr("%1 · %2 · members: %3 · coordinator %4")
            .arg(g->state, models::groupProtocolText(*g))
            .arg(g->members.size())
            .arg(g->coordinator < 0 ? models::unknownText() : QString::number(g->coordinator)) +
        tr(" · lag %1 · status %2 · behind %3")
            .arg(models::formatLag(g->totalLag), monitor::lagStatusName(g->status),
                 models::formatSecondsBehind(g->secondsBehind));
    if (!g->error.isEmpty())
        text += QStringLiteral(" · ") + g->error;
    m_summary->setText(text);
    m_members->setMembers(g->members);
    // An Empty group has nobody to list: its offsets get the room.
    m_membersView->parentWidget()->setVisible(!g->members.isEmpty());
    m_offsets->setPartitions(g->partitions);
}

void GroupDetailPane::resetSelected()
{
    // Selected rows of one topic narrow the reset to them; otherwise the whole group.
    QString topic;
    QList<int> partitions;
    for (const QModelIndex &index : m_offsetsView->selectionModel()->selectedRows()) {
        const monitor::PartitionLag *p =
            m_offsets->partitionAt(m_offsetsProxy->mapToSource(index).row());
        if (!p)
            continue;
        if (!topic.isEmpty() && topic != p->topic) {
            topic.clear();
            partitions.clear();
            break;
        }
        topic = p->topic;
        partitions.append(p->partition);
    }
    m_actions->resetOffsets(m_group, topic, partitions);
}

void GroupDetailPane::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_offsetsView->indexAt(pos);
    const monitor::PartitionLag *p =
        index.isValid() ? m_offsets->partitionAt(m_offsetsProxy->mapToSource(index).row())
                        : nullptr;
    QMenu menu(this);
    const QString topic = p ? p->topic : QString();
    menu.addAction(tr("Open topic"), this, [this, topic] { Q_EMIT openTopic(topic); })
        ->setEnabled(p);
    menu.addSeparator();
    menu.addAction(tr("Reset selected partitions…"), this, &GroupDetailPane::resetSelected)
        ->setEnabled(m_actions->allowed());
    menu.addAction(tr("Reset this topic…"), this,
                   [this, topic] { m_actions->resetOffsets(m_group, topic, {}); })
        ->setEnabled(p && m_actions->allowed());
    menu.addAction(tr("Delete offsets for this topic…"), this,
                   [this, topic] { m_actions->deleteOffsets(m_group, topic); })
        ->setEnabled(p && m_actions->allowed());
    menu.exec(m_offsetsView->viewport()->mapToGlobal(pos));
}

} // namespace periscope::widgets
