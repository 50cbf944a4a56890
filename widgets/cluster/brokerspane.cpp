#include "cluster/brokerspane.h"

#include "cluster/brokersmodel.h"
#include "common/paneutil.h"
#include "common/sessionhold.h"
#include "topics/configsmodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace periscope::widgets {

using namespace client;

BrokersPane::BrokersPane(ClusterSession *session, QWidget *parent)
    : QWidget(parent)
    , m_hold(new SessionHold(session, nullptr, this))
    , m_brokers(new models::BrokersModel(this))
    , m_configs(new models::ConfigsModel(this))
    , m_brokersProxy(new QSortFilterProxyModel(this))
    , m_configsProxy(new QSortFilterProxyModel(this))
    , m_brokersView(new QTableView(this))
    , m_configsView(new QTableView(this))
    , m_configsTitle(new QLabel(tr("Select a broker to see its configs."), this))
{
    m_brokersView->setObjectName(QStringLiteral("brokersView"));
    m_brokersProxy->setSourceModel(m_brokers);
    m_brokersProxy->setSortRole(models::BrokersModel::SortRole);
    configureTable(m_brokersView, m_brokersProxy);
    m_brokersView->sortByColumn(models::BrokersModel::Id, Qt::AscendingOrder);
    m_brokersView->horizontalHeader()->setStretchLastSection(true);
    m_configsProxy->setSourceModel(m_configs);
    m_configsProxy->setSortRole(models::ConfigsModel::SortRole);
    configureTable(m_configsView, m_configsProxy);
    m_configsView->sortByColumn(models::ConfigsModel::Name, Qt::AscendingOrder);
    m_configsView->setColumnWidth(models::ConfigsModel::Name, 320);
    m_configsView->horizontalHeader()->setSectionResizeMode(models::ConfigsModel::Value,
                                                            QHeaderView::Stretch);

    auto *lower = new QWidget(this);
    auto *lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->addWidget(m_configsTitle);
    lowerLayout->addWidget(m_configsView);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_brokersView);
    splitter->addWidget(lower);
    splitter->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    auto update = [this, session] {
        m_brokers->setBrokers(session->metadata().brokers);
        // With nothing chosen yet, show the first broker's configs rather than an empty table.
        if (!m_brokersView->currentIndex().isValid() && m_brokersProxy->rowCount() > 0)
            m_brokersView->setCurrentIndex(m_brokersProxy->index(0, 0));
    };
    connect(session, &ClusterSession::metadataChanged, this, update);
    connect(session, &ClusterSession::brokerRacksChanged, this, update);
    connect(m_brokersView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &BrokersPane::showConfigs);
    connect(m_hold, &SessionHold::ended, this,
            [this] { m_configsTitle->setText(m_hold->endedText()); });
    update();
}

void BrokersPane::showConfigs()
{
    client::ClusterClient *client = m_hold->client();
    if (!client)
        return;
    const QModelIndex index = m_brokersView->currentIndex();
    const BrokerInfo *broker =
        index.isValid() ? m_brokers->brokerAt(m_brokersProxy->mapToSource(index).row()) : nullptr;
    if (!broker)
        return;
    const QString id = QString::number(broker->id);
    m_configsTitle->setText(tr("Configs of broker %1 (%2)").arg(id, broker->address()));
    const quint64 request = ++m_request;
    client->describeConfigs(ConfigResource::Type::Broker, id)
        .then(this, [this, request, id](const Result<ConfigResource> &r) {
            if (request != m_request)
                return;
            if (r.ok())
                m_configs->setResource(r.value);
            else
                m_configsTitle->setText(tr("Configs of broker %1: %2").arg(id, r.error.message));
        });
}

} // namespace periscope::widgets
