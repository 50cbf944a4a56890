#include "mainwindow.h"

#include "browser/messagebrowserpane.h"
#include "browser/producerdialog.h"
#include "client/clustersession.h"
#include "cluster/brokerspane.h"
#include "cluster/overviewpane.h"
#include "common/logmodel.h"
#include "connections.h"
#include "groups/groupdetailpane.h"
#include "groups/groupspane.h"
#include "localbroker/localbroker.h"
#include "logging/loghub.h"
#include "monitor/lagsampler.h"
#include "profiles/profilestore.h"
#include "profiles/secretstore.h"
#include "topics/topicdetailpane.h"
#include "topics/topicspane.h"
#include "window/logdock.h"
#include "window/navigator.h"
#include "window/quickopen.h"
#include "window/welcomepane.h"

#include <QCloseEvent>
#include <QDockWidget>
#include <QLabel>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <spdlog/spdlog.h>

namespace periscope::app {

namespace {

monitor::LagSampler *samplerOf(const client::ClusterSession *session)
{
    return session->findChild<monitor::LagSampler *>(QString(), Qt::FindDirectChildrenOnly);
}

constexpr char kTabKey[] = "periscopeTab"; // "profileId|key" on each tab's widget

QString paneKey(widgets::Navigator::Pane pane)
{
    switch (pane) {
    case widgets::Navigator::Pane::Overview:
        return QStringLiteral("overview");
    case widgets::Navigator::Pane::Brokers:
        return QStringLiteral("brokers");
    case widgets::Navigator::Pane::Topics:
        return QStringLiteral("topics");
    case widgets::Navigator::Pane::Groups:
        return QStringLiteral("groups");
    }
    return {};
}
} // namespace

MainWindow::MainWindow(const LaunchOptions &options, logging::LogHub *logHub, QWidget *parent)
    : QMainWindow(parent)
    , m_store(new profiles::ProfileStore(profiles::ProfileStore::defaultFilePath(), this))
    , m_secrets(new profiles::SecretStore(false, this))
    , m_connections(new Connections(m_store, m_secrets, this))
    , m_localBroker(new localbroker::LocalBroker(this))
    , m_logModel(new models::LogModel(this))
    , m_navigator(new widgets::Navigator(this))
    , m_tabs(new QTabWidget(this))
    , m_welcome(new widgets::WelcomePane(this))
    , m_centre(new QStackedWidget(this))
    , m_stateLabel(new QLabel(this))
    , m_refreshLabel(new QLabel(this))
    , m_errorLabel(new QLabel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(QStringLiteral("Periscope"));
    resize(1280, 800);
    m_tabs->setObjectName(QStringLiteral("paneTabs"));
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setDocumentMode(true);
    m_centre->addWidget(m_welcome);
    m_centre->addWidget(m_tabs);
    setCentralWidget(m_centre);

    auto *navDock = new QDockWidget(tr("Clusters"), this);
    navDock->setObjectName(QStringLiteral("navigatorDock"));
    navDock->setWidget(m_navigator);
    navDock->setFeatures(QDockWidget::DockWidgetMovable);
    addDockWidget(Qt::LeftDockWidgetArea, navDock);
    auto *logDock = new widgets::LogDock(m_logModel, this);
    addDockWidget(Qt::BottomDockWidgetArea, logDock);
    resizeDocks({navDock}, {240}, Qt::Horizontal);
    resizeDocks({logDock}, {150}, Qt::Vertical);
    if (logHub)
        connect(logHub, &logging::LogHub::linesArrived, this,
                [this](const QList<logging::LogRecord> &records) {
                    QList<models::LogLine> lines;
                    lines.reserve(records.size());
                    for (const auto &r : records)
                        lines.append({r.time, r.level, r.logger, r.text});
                    m_logModel->appendLines(lines);
                });

    buildMenus();
    buildStatusBar();

    connect(m_tabs, &QTabWidget::tabCloseRequested, this, [this](int index) {
        QWidget *w = m_tabs->widget(index);
        m_tabs->removeTab(index);
        w->deleteLater();
    });
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateStatus);
    // The current index changes whenever the first tab comes or the last one goes.
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::updateCentre);
    connect(m_welcome, &widgets::WelcomePane::newConnectionRequested, this,
            [this] { editProfile(QString()); });
    connect(m_welcome, &widgets::WelcomePane::localBrokerRequested, this,
            [this] { startLocalBroker(true); });
    connect(m_navigator, &widgets::Navigator::connectRequested, m_connections,
            &Connections::connectProfile);
    connect(m_navigator, &widgets::Navigator::disconnectRequested, m_connections,
            &Connections::disconnectProfile);
    connect(
        m_navigator, &widgets::Navigator::paneRequested, this,
        [this](const QString &id, widgets::Navigator::Pane pane) { openPane(id, paneKey(pane)); });
    connect(m_navigator, &widgets::Navigator::newProfileRequested, this,
            [this] { editProfile(QString()); });
    connect(m_navigator, &widgets::Navigator::editRequested, this, &MainWindow::editProfile);
    connect(m_navigator, &widgets::Navigator::duplicateRequested, this,
            [this](const QString &id) { m_store->duplicate(id), m_store->save(); });
    connect(m_navigator, &widgets::Navigator::deleteRequested, this, &MainWindow::deleteProfile);
    connect(m_connections, &Connections::connected, this, &MainWindow::onConnected);
    connect(m_connections, &Connections::disconnected, this, &MainWindow::onDisconnected);
    connect(m_connections, &Connections::failed, this,
            [this](const QString &, const QString &m) { statusBar()->showMessage(m, 10000); });
    connect(m_store, &profiles::ProfileStore::changed, this, [this] {
        m_navigator->setProfiles(m_store->profiles());
        updateCentre();
    });

    if (const QString error = m_store->load(); !error.isEmpty())
        statusBar()->showMessage(error, 15000);
    m_navigator->setProfiles(m_store->profiles());
    updateCentre();
    restoreLayout();
    start(options);
}

MainWindow::~MainWindow()
{
    // Panes go before the sessions they watch; then the clusters are let go of.
    while (m_tabs->count() > 0)
        delete m_tabs->widget(0);
    m_connections->disconnectAll();
}

void MainWindow::start(const LaunchOptions &options)
{
    if (options.localBroker) {
        startLocalBroker(options.demoData);
    } else if (!options.bootstrap.isEmpty()) {
        m_connections->connectProfile(upsertProfile(options.bootstrap, options.bootstrap, false));
    } else if (!options.profile.isEmpty()) {
        if (const auto p = m_store->findByName(options.profile))
            m_connections->connectProfile(p->id);
        else
            statusBar()->showMessage(
                tr("No connection profile named \"%1\".").arg(options.profile));
    }
}

QString MainWindow::upsertProfile(const QString &name, const QString &bootstrap, bool local)
{
    auto existing = m_store->findByName(name);
    profiles::Profile p = existing.value_or(profiles::Profile{});
    p.name = name;
    p.bootstrap = bootstrap;
    p.isLocal = local;
    if (local)
        p.colour = QStringLiteral("#43a047");
    const QString id = existing ? (m_store->update(p), p.id) : m_store->add(p);
    m_store->save();
    return id;
}

void MainWindow::onConnected(const QString &profileId, client::ClusterSession *session)
{
    m_navigator->setConnected(profileId, true);
    spdlog::info("connecting to {}", session->name().toStdString());
    connect(session->client(), &client::ClusterClient::stateChanged, this,
            [this, profileId, name = session->name()](client::ClusterClient::State state,
                                                      const QString &message) {
                const bool bad = state == client::ClusterClient::State::BrokerDown ||
                                 state == client::ClusterClient::State::AuthFailed;
                m_navigator->setProblem(
                    profileId, bad ? client::ClusterClient::stateName(state).toLower() : QString(),
                    message);
                spdlog::info("{}: {} ({})", name.toStdString(),
                             client::ClusterClient::stateName(state).toStdString(),
                             message.toStdString());
            });
    connect(session->client(), &client::ClusterClient::stateChanged, this,
            &MainWindow::updateStatus);
    connect(session, &client::ClusterSession::errorCountChanged, this, &MainWindow::updateStatus);
    connect(session, &client::ClusterSession::offsetsChanged, this, &MainWindow::updateStatus);
    // Lag is sampled for as long as the cluster is connected; the sampler goes with the session.
    auto *sampler = new monitor::LagSampler(session->client(), session);
    sampler->setInterval(
        QSettings()
            .value(QStringLiteral("lag/intervalMs"), monitor::LagSampler::kDefaultIntervalMs)
            .toInt());
    sampler->refresh();
    connect(
        session, &client::ClusterSession::offsetsChanged, this,
        [this, profileId] { Q_EMIT clusterReady(profileId); }, Qt::SingleShotConnection);
    // Tabs from the last session of this cluster come back first; otherwise its topics.
    const QString name = session->name();
    bool restored = false;
    for (const QString &entry : std::as_const(m_restoreTabs)) {
        if (entry.section(QLatin1Char('|'), 0, 0) == name) {
            openPane(profileId, entry.section(QLatin1Char('|'), 1));
            restored = true;
        }
    }
    m_restoreTabs.erase(
        std::remove_if(m_restoreTabs.begin(), m_restoreTabs.end(),
                       [&](const QString &e) { return e.section(QLatin1Char('|'), 0, 0) == name; }),
        m_restoreTabs.end());
    if (!restored) {
        openPane(profileId, QStringLiteral("overview"));
        openPane(profileId, QStringLiteral("topics"));
    }
    updateStatus();
    updateCentre();
}

void MainWindow::updateCentre()
{
    using Situation = widgets::WelcomePane::Situation;
    if (!m_connections->connectedIds().isEmpty())
        m_welcome->setSituation(Situation::Connected);
    else
        m_welcome->setSituation(m_store->profiles().isEmpty() ? Situation::NoConnections
                                                              : Situation::NotConnected);
    m_centre->setCurrentWidget(m_tabs->count() > 0 ? static_cast<QWidget *>(m_tabs) : m_welcome);
}

void MainWindow::onDisconnected(const QString &profileId)
{
    m_navigator->setConnected(profileId, false);
    for (int i = m_tabs->count() - 1; i >= 0; --i) {
        QWidget *w = m_tabs->widget(i);
        if (w->property(kTabKey).toString().section(QLatin1Char('|'), 0, 0) == profileId) {
            m_tabs->removeTab(i);
            w->deleteLater();
        }
    }
    updateStatus();
    updateCentre();
}

QWidget *MainWindow::openPane(const QString &profileId, const QString &key)
{
    client::ClusterSession *session = m_connections->session(profileId);
    if (!session)
        return nullptr;
    const QString tabKey = profileId + QLatin1Char('|') + key;
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (m_tabs->widget(i)->property(kTabKey).toString() == tabKey) {
            m_tabs->setCurrentIndex(i);
            return m_tabs->widget(i);
        }
    }
    QWidget *pane = nullptr;
    QString title;
    if (key == QLatin1String("overview")) {
        pane = new widgets::OverviewPane(session);
        title = tr("%1 · Overview").arg(session->name());
    } else if (key == QLatin1String("brokers")) {
        pane = new widgets::BrokersPane(session);
        title = tr("%1 · Brokers").arg(session->name());
    } else if (key == QLatin1String("topics")) {
        auto *topics = new widgets::TopicsPane(session);
        connect(topics, &widgets::TopicsPane::openTopic, this, [this, profileId](const QString &t) {
            openPane(profileId, QStringLiteral("topic:") + t);
        });
        connect(topics, &widgets::TopicsPane::browseTopic, this,
                [this, profileId](const QString &t) {
                    openPane(profileId, QStringLiteral("messages:") + t);
                });
        pane = topics;
        title = tr("%1 · Topics").arg(session->name());
    } else if (key.startsWith(QLatin1String("topic:"))) {
        const QString topic = key.mid(6);
        auto *detail = new widgets::TopicDetailPane(session, topic, samplerOf(session));
        connect(detail, &widgets::TopicDetailPane::openGroup, this,
                [this, profileId](const QString &g) {
                    openPane(profileId, QStringLiteral("group:") + g);
                });
        connect(detail, &widgets::TopicDetailPane::browseRequested, this,
                [this, profileId](const QString &t) {
                    openPane(profileId, QStringLiteral("messages:") + t);
                });
        pane = detail;
        title = topic;
    } else if (key.startsWith(QLatin1String("messages:"))) {
        const QString topic = key.mid(9);
        auto *browser = new widgets::MessageBrowserPane(session, topic);
        connect(browser, &widgets::MessageBrowserPane::produceAgain, this,
                [this, profileId](const QString &t, const QByteArray &k, const QByteArray &v,
                                  const QList<client::MessageHeader> &headers) {
                    client::ClusterSession *current = m_connections->session(profileId);
                    if (!current)
                        return;
                    // Outlives the pane and maybe the session: it holds it safely.
                    auto *dialog = new widgets::ProducerDialog(current, this);
                    dialog->setAttribute(Qt::WA_DeleteOnClose);
                    dialog->setMessage(t, k, v, headers);
                    dialog->show();
                });
        browser->load();
        pane = browser;
        title = tr("%1 · messages").arg(topic);
    } else if (key == QLatin1String("groups")) {
        auto *groups = new widgets::GroupsPane(session, samplerOf(session));
        connect(groups, &widgets::GroupsPane::openGroup, this, [this, profileId](const QString &g) {
            openPane(profileId, QStringLiteral("group:") + g);
        });
        pane = groups;
        title = tr("%1 · Consumer Groups").arg(session->name());
    } else if (key.startsWith(QLatin1String("group:"))) {
        const QString group = key.mid(6);
        auto *detail = new widgets::GroupDetailPane(session, samplerOf(session), group);
        connect(detail, &widgets::GroupDetailPane::openTopic, this,
                [this, profileId](const QString &t) {
                    openPane(profileId, QStringLiteral("topic:") + t);
                });
        pane = detail;
        title = tr("group %1").arg(group);
    } else {
        return nullptr;
    }
    pane->setProperty(kTabKey, tabKey);
    m_tabs->setCurrentIndex(m_tabs->addTab(pane, title));
    return pane;
}

QString MainWindow::currentProfileId() const
{
    if (QWidget *w = m_tabs->currentWidget())
        return w->property(kTabKey).toString().section(QLatin1Char('|'), 0, 0);
    const auto ids = m_connections->connectedIds();
    return ids.isEmpty() ? QString() : ids.first();
}

void MainWindow::updateStatus()
{
    client::ClusterSession *session = m_connections->session(currentProfileId());
    if (!session) {
        m_stateLabel->setText(tr("Not connected"));
        m_refreshLabel->clear();
        m_errorLabel->clear();
        return;
    }
    const auto *client = session->client();
    m_stateLabel->setText(QStringLiteral("%1: %2").arg(
        session->name(), client::ClusterClient::stateName(client->state())));
    m_stateLabel->setToolTip(client->stateMessage());
    m_refreshLabel->setText(
        session->lastRefresh().isValid()
            ? tr("Refreshed %1").arg(session->lastRefresh().toString(QStringLiteral("HH:mm:ss")))
            : QString());
    const int errors = session->errorCount() + m_logModel->errorCount();
    m_errorLabel->setText(errors ? tr("%n error(s)", nullptr, errors) : QString());
}

// Built on first use: its line edit is the window's most expensive widget to construct, and
// nobody sees it before Ctrl+K. Its list is gathered when it opens, not on every refresh.
void MainWindow::showQuickOpen()
{
    if (!m_quickOpen)
        createQuickOpen();
    m_quickOpen->setEntries(quickOpenEntries());
    m_quickOpen->popup();
}

void MainWindow::createQuickOpen()
{
    m_quickOpen = new widgets::QuickOpen(this);
    connect(m_quickOpen, &widgets::QuickOpen::chosen, this,
            [this](const models::QuickOpenEntry &e) {
                const QString prefix = e.kind == models::QuickOpenEntry::Kind::Group
                                           ? QStringLiteral("group:")
                                           : QStringLiteral("topic:");
                for (const QString &id : m_connections->connectedIds())
                    if (m_connections->session(id)->name() == e.cluster)
                        openPane(id, prefix + e.name);
            });
}

QList<models::QuickOpenEntry> MainWindow::quickOpenEntries() const
{
    QList<models::QuickOpenEntry> entries;
    for (const QString &id : m_connections->connectedIds()) {
        const client::ClusterSession *s = m_connections->session(id);
        for (const client::TopicInfo &t : s->metadata().topics)
            entries.append({models::QuickOpenEntry::Kind::Topic, t.name, s->name()});
        if (const monitor::LagSampler *sampler = samplerOf(s))
            if (const monitor::SnapshotPtr snapshot = sampler->snapshot())
                for (const monitor::GroupLag &g : snapshot->groups)
                    entries.append({models::QuickOpenEntry::Kind::Group, g.id, s->name()});
    }
    return entries;
}

void MainWindow::buildStatusBar()
{
    m_stateLabel->setObjectName(QStringLiteral("stateLabel"));
    m_errorLabel->setObjectName(QStringLiteral("errorLabel"));
    statusBar()->addPermanentWidget(m_refreshLabel);
    statusBar()->addPermanentWidget(m_errorLabel);
    statusBar()->addPermanentWidget(m_stateLabel);
    connect(m_logModel, &models::LogModel::errorCountChanged, this, &MainWindow::updateStatus);
    updateStatus();
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_restoreTabs = settings.value(QStringLiteral("window/tabs")).toStringList();
}

void MainWindow::saveLayout()
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    // Tabs are remembered by cluster name, so they come back when it is connected again.
    QStringList tabs;
    for (int i = 0; i < m_tabs->count(); ++i) {
        const QString key = m_tabs->widget(i)->property(kTabKey).toString();
        if (const auto *s = m_connections->session(key.section(QLatin1Char('|'), 0, 0)))
            tabs.append(s->name() + QLatin1Char('|') + key.section(QLatin1Char('|'), 1));
    }
    settings.setValue(QStringLiteral("window/tabs"), tabs);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    m_connections->disconnectAll();
    stopLocalBroker();
    event->accept();
}

} // namespace periscope::app
