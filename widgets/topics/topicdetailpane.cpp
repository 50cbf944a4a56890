#include "topics/topicdetailpane.h"

#include "common/actionprogress.h"
#include "common/modelutil.h"
#include "common/paneutil.h"
#include "common/sessionhold.h"
#include "groups/topicgroupsmodel.h"
#include "topics/configsmodel.h"
#include "topics/partitionsmodel.h"
#include "topics/topicactions.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace periscope::widgets {

using namespace client;

TopicDetailPane::TopicDetailPane(ClusterSession *session, const QString &topic,
                                 monitor::LagSampler *sampler, QWidget *parent)
    : QWidget(parent)
    , m_hold(new SessionHold(session, sampler, this))
    , m_topic(topic)
    , m_title(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_partitions(new models::PartitionsModel(this))
    , m_configs(new models::ConfigsModel(this))
    , m_configsProxy(new QSortFilterProxyModel(this))
    , m_partitionsView(new QTableView(this))
    , m_configsView(new QTableView(this))
    , m_edit(new QPushButton(tr("Edit…"), this))
    , m_progress(new ActionProgress(this))
    , m_actions(new TopicActions(m_hold, m_progress, this))
{
    m_title->setText(QStringLiteral("<h2>%1</h2>").arg(topic.toHtmlEscaped()));
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_configsView->setObjectName(QStringLiteral("configsView"));
    m_partitionsView->setObjectName(QStringLiteral("partitionsView"));
    m_edit->setObjectName(QStringLiteral("editConfigButton"));
    configureTable(m_partitionsView, m_partitions);
    m_configsProxy->setSourceModel(m_configs);
    m_configsProxy->setSortRole(models::ConfigsModel::SortRole);
    configureTable(m_configsView, m_configsProxy);
    m_configsView->sortByColumn(models::ConfigsModel::Name, Qt::AscendingOrder);
    m_configsView->horizontalHeader()->setSectionResizeMode(models::ConfigsModel::Value,
                                                            QHeaderView::Stretch);
    m_configsView->setColumnWidth(models::ConfigsModel::Name, 260);

    auto *buttons = new QHBoxLayout;
    const bool writable = m_actions->allowed();
    auto *grow = new QPushButton(tr("Add partitions…"), this);
    auto *purge = new QPushButton(tr("Purge…"), this);
    auto *del = new QPushButton(tr("Delete…"), this);
    grow->setObjectName(QStringLiteral("addPartitionsButton"));
    purge->setObjectName(QStringLiteral("purgeButton"));
    del->setObjectName(QStringLiteral("deleteButton"));
    for (QPushButton *b : {grow, purge, del, m_edit})
        b->setEnabled(writable);
    auto *browse = new QPushButton(tr("Browse messages"), this);
    browse->setObjectName(QStringLiteral("browseButton"));
    connect(browse, &QPushButton::clicked, this, [this] { Q_EMIT browseRequested(m_topic); });
    buttons->addWidget(m_summary, 1);
    buttons->addWidget(browse);
    buttons->addWidget(grow);
    buttons->addWidget(purge);
    buttons->addWidget(del);

    auto *configsPage = new QWidget(this);
    auto *configsLayout = new QVBoxLayout(configsPage);
    auto *configButtons = new QHBoxLayout;
    configButtons->addStretch(1);
    configButtons->addWidget(m_edit);
    configsLayout->addLayout(configButtons);
    configsLayout->addWidget(m_configsView);
    auto *tabs = new QTabWidget(this);
    tabs->addTab(m_partitionsView, tr("Partitions"));
    tabs->addTab(configsPage, tr("Configs"));
    if (sampler) {
        m_groups = new models::TopicGroupsModel(topic, this);
        m_groupsView = new QTableView(this);
        m_groupsView->setObjectName(QStringLiteral("topicGroupsView"));
        auto *groupsProxy = new QSortFilterProxyModel(this);
        groupsProxy->setSourceModel(m_groups);
        groupsProxy->setSortRole(models::SortRoleValue);
        configureTable(m_groupsView, groupsProxy);
        m_groupsView->sortByColumn(models::TopicGroupsModel::Group, Qt::AscendingOrder);
        m_groupsView->horizontalHeader()->setSectionResizeMode(models::TopicGroupsModel::Group,
                                                               QHeaderView::Stretch);
        tabs->addTab(m_groupsView, tr("Consumer groups"));
        auto update = [this, sampler] { m_groups->setSnapshot(sampler->snapshot()); };
        connect(sampler, &monitor::LagSampler::updated, this, update);
        update();
        connect(m_groupsView, &QTableView::doubleClicked, this,
                [this, groupsProxy](const QModelIndex &index) {
                    Q_EMIT openGroup(m_groups->groupAt(groupsProxy->mapToSource(index).row()));
                });
    }

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addLayout(buttons);
    layout->addWidget(m_progress);
    layout->addWidget(tabs, 1);

    connect(grow, &QPushButton::clicked, this, [this] { m_actions->addPartitions(m_topic); });
    connect(purge, &QPushButton::clicked, this, [this] { m_actions->purge(m_topic); });
    connect(del, &QPushButton::clicked, this, [this] { m_actions->deleteTopic(m_topic); });
    connect(m_edit, &QPushButton::clicked, this, &TopicDetailPane::editSelectedConfig);
    connect(m_configsView, &QTableView::doubleClicked, this, &TopicDetailPane::editSelectedConfig);
    connect(m_actions, &TopicActions::changed, this, [this] {
        if (ClusterSession *s = m_hold->session())
            s->refresh();
        reloadConfigs();
    });
    connect(session, &ClusterSession::metadataChanged, this, &TopicDetailPane::updateFromSession);
    connect(session, &ClusterSession::offsetsChanged, this, [this, session] {
        m_partitions->setOffsets(session->offsets());
        updateFromSession();
    });
    showWhenEnded(m_hold, m_progress, {grow, purge, del, m_edit});
    updateFromSession();
    m_partitions->setOffsets(session->offsets());
    reloadConfigs();
}

void TopicDetailPane::updateFromSession()
{
    const ClusterSession *session = m_hold->session();
    if (!session)
        return;
    const TopicInfo *info = session->topic(m_topic);
    if (!info) {
        m_summary->setText(session->hasMetadata() ? tr("This topic no longer exists.")
                                                  : tr("Loading…"));
        return;
    }
    m_partitions->setTopic(*info);
    qint64 messages = 0;
    for (const PartitionOffsets &o : session->offsets())
        if (o.topic == m_topic)
            messages += o.messages();
    QString text = tr("%n partition(s)", nullptr, int(info->partitions.size())) +
                   QStringLiteral(" · ") + tr("replication %1").arg(info->replicationFactor()) +
                   QStringLiteral(" · ") + tr("%L1 messages").arg(messages);
    if (const int under = info->underReplicatedCount())
        text += QStringLiteral(" · ") + tr("%n under-replicated", nullptr, under);
    m_summary->setText(text);
}

void TopicDetailPane::reloadConfigs()
{
    ClusterClient *client = m_hold->client();
    if (!client)
        return;
    const quint64 request = ++m_configsRequest;
    client->describeConfigs(ConfigResource::Type::Topic, m_topic)
        .then(this, [this, request](const Result<ConfigResource> &r) {
            if (request != m_configsRequest)
                return;
            if (r.ok())
                m_configs->setResource(r.value);
            else
                m_progress->setResult(false, tr("Configs of %1: %2").arg(m_topic, r.error.message));
        });
}

void TopicDetailPane::editSelectedConfig()
{
    const QModelIndex index = m_configsView->currentIndex();
    if (!index.isValid())
        return;
    if (const ConfigEntry *entry = m_configs->entryAt(m_configsProxy->mapToSource(index).row()))
        m_actions->editConfig(m_topic, *entry);
}

} // namespace periscope::widgets
