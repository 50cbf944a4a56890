#pragma once

#include "commandline.h"
#include "common/quickopenmodel.h"

#include <QHash>
#include <QMainWindow>

class QLabel;
class QStackedWidget;
class QTabWidget;

namespace periscope::client {
class ClusterSession;
class DemoData;
} // namespace periscope::client
namespace periscope::localbroker {
class LocalBroker;
}
namespace periscope::logging {
class LogHub;
}
namespace periscope::models {
class LogModel;
}
namespace periscope::profiles {
class ProfileStore;
class SecretStore;
struct Secrets;
} // namespace periscope::profiles
namespace periscope::widgets {
class Navigator;
class QuickOpen;
class WelcomePane;
} // namespace periscope::widgets

namespace periscope::app {

class Connections;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(const LaunchOptions &options, logging::LogHub *logHub, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens (or raises) a pane; key is "<pane>" or "topic:<name>".
    QWidget *openPane(const QString &profileId, const QString &key);
    Connections *connections() const { return m_connections; }
    profiles::ProfileStore *profileStore() const { return m_store; }
    QTabWidget *tabs() const { return m_tabs; }
    widgets::Navigator *navigator() const { return m_navigator; }

Q_SIGNALS:
    // Each connected session has loaded its first metadata and offsets.
    void clusterReady(const QString &profileId);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void buildStatusBar();
    void restoreLayout();
    void saveLayout();
    void start(const LaunchOptions &options);
    void onConnected(const QString &profileId, client::ClusterSession *session);
    void onDisconnected(const QString &profileId);
    void updateStatus();
    void updateCentre();
    void showQuickOpen();
    void createQuickOpen();
    QList<models::QuickOpenEntry> quickOpenEntries() const;
    void editProfile(const QString &profileId);
    void showProfileDialog(const QString &profileId, const profiles::Secrets &secrets);
    void deleteProfile(const QString &profileId);
    void startLocalBroker(bool demoData);
    void stopLocalBroker();
    void onLocalBrokerReady(const QString &bootstrap, bool demoData);
    QString currentProfileId() const;
    QString upsertProfile(const QString &name, const QString &bootstrap, bool local);

    profiles::ProfileStore *m_store;
    profiles::SecretStore *m_secrets;
    Connections *m_connections;
    localbroker::LocalBroker *m_localBroker;
    client::DemoData *m_demo = nullptr;
    models::LogModel *m_logModel;
    widgets::Navigator *m_navigator;
    widgets::QuickOpen *m_quickOpen = nullptr;
    QTabWidget *m_tabs;
    widgets::WelcomePane *m_welcome;
    QStackedWidget *m_centre; // the welcome pane while no tab is open, else the tabs
    QLabel *m_stateLabel;
    QLabel *m_refreshLabel;
    QLabel *m_errorLabel;
    QStringList m_restoreTabs; // "profile name|key" waiting for their cluster
    QString m_localProfileId;
};

} // namespace periscope::app
