#include "screenshots.h"

#include "browser/messagebrowserpane.h"
#include "browser/messagefilterproxy.h"
#include "client/clustersession.h"
#include "connections.h"
#include "firstframe.h"
#include "groups/groupactions.h"
#include "groups/groupdetailpane.h"
#include "mainwindow.h"

#include <QApplication>
#include <QDir>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <memory>
#include <spdlog/spdlog.h>

namespace periscope::app {

namespace {

bool demoLoaded(const client::ClusterSession *s)
{
    if (!s->topic(QStringLiteral("orders")))
        return false;
    for (const auto &o : s->offsets())
        if (o.topic == QLatin1String("orders") && o.end > 0)
            return true;
    return false;
}

void shoot(MainWindow *window, const QString &dir, const QString &id, QStringList keys)
{
    if (keys.isEmpty()) {
        QApplication::quit();
        return;
    }
    const QString key = keys.takeFirst();
    QWidget *pane = window->openPane(id, key);
    // A message picked, so the picture shows the detail panel too.
    if (auto *browser = qobject_cast<widgets::MessageBrowserPane *>(pane))
        QTimer::singleShot(1000, browser, [browser] {
            browser->view()->setCurrentIndex(browser->proxy()->index(3, 0));
        });
    // The reset dialog of an Empty group, previewed, gets its own picture.
    if (auto *group = qobject_cast<widgets::GroupDetailPane *>(pane);
        group && group->group() == QLatin1String("audit-archiver")) {
        group->actions()->resetOffsets(group->group(), {}, {});
        if (widgets::ResetOffsetsDialog *dialog = group->actions()->resetDialog()) {
            dialog->preview();
            QTimer::singleShot(1400, dialog, [dialog, dir] {
                dialog->grab().save(QDir(dir).filePath(QStringLiteral("reset-offsets.png")));
                dialog->reject();
            });
        }
    }
    // Give the pane a moment to receive its configs and lay out before the picture.
    QTimer::singleShot(1500, window, [window, dir, id, key, keys] {
        QString name = key;
        name.replace(QLatin1Char(':'), QLatin1Char('-'));
        const QString file = QDir(dir).filePath(name + QStringLiteral(".png"));
        if (!window->grab().save(file))
            spdlog::error("cannot write {}", file.toStdString());
        else
            spdlog::info("screenshot {}", file.toStdString());
        shoot(window, dir, id, keys);
    });
}

} // namespace

void takeScreenshots(MainWindow *window, const QString &dir)
{
    QDir().mkpath(dir);
    // The first frame, before the local broker is up: what a new user sees first.
    afterFirstFrame(window, [window, dir] {
        window->grab().save(QDir(dir).filePath(QStringLiteral("welcome.png")));
    });
    auto *poll = new QTimer(window);
    auto waited = std::make_shared<int>(0);
    QObject::connect(poll, &QTimer::timeout, window, [=] {
        const auto ids = window->connections()->connectedIds();
        client::ClusterSession *s =
            ids.isEmpty() ? nullptr : window->connections()->session(ids.first());
        if (s && !s->refreshing() && (demoLoaded(s) || *waited > 60)) {
            poll->deleteLater();
            // Fresh figures for the pictures, then the panes one by one.
            s->refresh();
            QTimer::singleShot(2000, window, [=] {
                shoot(window, dir, ids.first(),
                      {QStringLiteral("overview"), QStringLiteral("topics"),
                       QStringLiteral("topic:orders"), QStringLiteral("messages:orders"),
                       QStringLiteral("brokers"), QStringLiteral("groups"),
                       QStringLiteral("group:order-processor"),
                       QStringLiteral("group:audit-archiver")});
            });
            return;
        }
        if (s && *waited % 4 == 0)
            s->refresh();
        if (++*waited > 120) {
            spdlog::error("no cluster data after a minute; screenshots not taken");
            QApplication::exit(1);
        }
    });
    poll->start(500);
}

} // namespace periscope::app
