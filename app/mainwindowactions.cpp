// The main window's menus and what they do: profiles, the local broker, quick open.
#include "browser/browsersettings.h"
#include "client/demodata.h"
#include "connections.h"
#include "localbroker/localbroker.h"
#include "mainwindow.h"
#include "profiles/profiledialog.h"
#include "profiles/profilestore.h"
#include "profiles/secretstore.h"
#include "window/navigator.h"
#include "window/quickopen.h"

#include <QApplication>
#include <QDesktopServices>
#include <QDir>
#include <QDockWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QUrl>
#include <spdlog/spdlog.h>

namespace periscope::app {

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New connection…"), QKeySequence::New, this,
                    [this] { editProfile(QString()); })
        ->setObjectName(QStringLiteral("newConnectionAction"));
    file->addAction(tr("&Quick open…"), QKeySequence(Qt::CTRL | Qt::Key_K), this,
                    [this] { showQuickOpen(); });
    file->addAction(tr("&Refresh"), QKeySequence::Refresh, this, [this] {
        if (auto *s = m_connections->session(currentProfileId()))
            s->refresh();
    });
    file->addAction(tr("Message browser &settings…"), this, [this] {
        widgets::BrowserSettingsDialog dialog(this);
        dialog.exec();
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *local = menuBar()->addMenu(tr("&Local broker"));
    local->setObjectName(QStringLiteral("localBrokerMenu"));
    QAction *start = local->addAction(tr("&Start"), this, [this] { startLocalBroker(false); });
    QAction *startDemo =
        local->addAction(tr("Start with &demo data"), this, [this] { startLocalBroker(true); });
    QAction *stop = local->addAction(tr("S&top"), this, &MainWindow::stopLocalBroker);
    local->addSeparator();
    local->addAction(tr("Show its &log"), this, [this] {
        QMessageBox box(QMessageBox::Information, tr("Local broker log"),
                        tr("The last lines the local broker wrote:"), QMessageBox::Close, this);
        box.setDetailedText(m_localBroker->recentLog());
        box.exec();
    });
    QAction *folder = local->addAction(tr("Open its data &folder"), this, [this] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(m_localBroker->dataDir()));
    });
    connect(local, &QMenu::aboutToShow, this, [=, this] {
        const bool running = m_localBroker->isRunning();
        start->setEnabled(!running);
        startDemo->setEnabled(!running);
        stop->setEnabled(running);
        folder->setEnabled(!m_localBroker->dataDir().isEmpty());
    });

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Periscope"), this, [this] {
        QMessageBox::about(this, tr("About Periscope"),
                           tr("<h3>Periscope %1</h3><p>A desktop console for Apache Kafka.</p>"
                              "<p>librdkafka %2, Qt %3</p><p>GPL-3.0-or-later</p>")
                               .arg(QApplication::applicationVersion(),
                                    client::ClusterClient::librdkafkaVersion(),
                                    QString::fromLatin1(qVersion())));
    });

    connect(m_localBroker, &localbroker::LocalBroker::failed, this, [this](const QString &m) {
        spdlog::error("local broker: {}", m.toStdString());
        statusBar()->showMessage(tr("Local broker: %1").arg(m), 15000);
    });
    connect(
        m_localBroker, &localbroker::LocalBroker::stopped, this, [this](int code, bool crashed) {
            if (!m_localProfileId.isEmpty())
                m_connections->disconnectProfile(m_localProfileId);
            statusBar()->showMessage(crashed ? tr("The local broker crashed (see its log).")
                                     : code == 0
                                         ? tr("The local broker stopped.")
                                         : tr("The local broker exited with code %1.").arg(code),
                                     15000);
        });
}

void MainWindow::startLocalBroker(bool demoData)
{
    if (m_localBroker->isRunning())
        return;
    localbroker::LocalBroker::Options options;
    options.dataDir = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) +
                      QStringLiteral("/broker");
    QDir().mkpath(options.dataDir);
    disconnect(m_localBroker, &localbroker::LocalBroker::ready, this, nullptr);
    connect(
        m_localBroker, &localbroker::LocalBroker::ready, this,
        [this, demoData](const QString &bootstrap) { onLocalBrokerReady(bootstrap, demoData); });
    statusBar()->showMessage(tr("Starting the local broker…"));
    m_localBroker->start(options);
}

void MainWindow::onLocalBrokerReady(const QString &bootstrap, bool demoData)
{
    spdlog::info("local broker ready at {}", bootstrap.toStdString());
    statusBar()->showMessage(tr("Local broker ready at %1.").arg(bootstrap), 5000);
    m_localProfileId = upsertProfile(tr("Local"), bootstrap, true);
    if (demoData) {
        delete m_demo;
        m_demo = new client::DemoData(bootstrap, this);
        connect(m_demo, &client::DemoData::ready, this, [this](const QString &summary) {
            statusBar()->showMessage(summary, 8000);
            if (auto *s = m_connections->session(m_localProfileId))
                s->refresh();
        });
        connect(m_demo, &client::DemoData::failed, this, [this](const QString &m) {
            spdlog::error("demo data: {}", m.toStdString());
            statusBar()->showMessage(tr("Demo data: %1").arg(m), 15000);
        });
        m_demo->start();
    }
    m_connections->connectProfile(m_localProfileId);
}

void MainWindow::stopLocalBroker()
{
    if (m_demo)
        m_demo->stop();
    if (m_localBroker->isRunning())
        m_localBroker->stop();
}

void MainWindow::editProfile(const QString &profileId)
{
    if (profileId.isEmpty()) {
        showProfileDialog(QString(), {});
        return;
    }
    // The dialog opens once the saved secrets are read (the keychain answers asynchronously).
    QPointer<MainWindow> self(this);
    m_secrets->read(profileId, [self, profileId](const profiles::Secrets &s, const QString &) {
        if (self)
            self->showProfileDialog(profileId, s);
    });
}

void MainWindow::showProfileDialog(const QString &profileId, const profiles::Secrets &secrets)
{
    widgets::ProfileDialog dialog(this);
    dialog.setSecretBackendDescription(m_secrets->backendDescription());
    QStringList taken;
    for (const auto &p : m_store->profiles())
        if (p.id != profileId)
            taken.append(p.name);
    dialog.setTakenNames(taken);
    connect(&dialog, &widgets::ProfileDialog::testConnectionRequested, this,
            [this, &dialog](const profiles::Profile &p, const profiles::Secrets &s) {
                QPointer<widgets::ProfileDialog> guard(&dialog);
                m_connections->test(p, s, [guard](bool ok, const QString &message) {
                    if (guard)
                        guard->showTestResult(ok, message);
                });
            });
    const auto existing = m_store->findById(profileId);
    if (existing)
        dialog.setProfile(*existing, secrets);
    if (dialog.exec() != QDialog::Accepted)
        return;
    profiles::Profile p = dialog.profile();
    QString id = profileId;
    if (existing) {
        p.id = existing->id;
        m_store->update(p);
    } else {
        id = m_store->add(p);
    }
    if (const QString error = m_store->save(); !error.isEmpty())
        statusBar()->showMessage(error, 15000);
    m_secrets->write(id, dialog.secrets(), [this](const QString &error) {
        if (!error.isEmpty())
            statusBar()->showMessage(tr("The password was not saved: %1").arg(error), 15000);
    });
}

void MainWindow::deleteProfile(const QString &profileId)
{
    const auto p = m_store->findById(profileId);
    if (!p)
        return;
    if (QMessageBox::question(
            this, tr("Delete connection"),
            tr("Delete the connection \"%1\" and its saved password?").arg(p->name)) !=
        QMessageBox::Yes)
        return;
    m_connections->disconnectProfile(profileId);
    m_store->remove(profileId);
    m_store->save();
    m_secrets->remove(profileId);
}

} // namespace periscope::app
