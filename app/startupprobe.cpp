#include "startupprobe.h"

#include <QCoreApplication>
#include <QEvent>
#include <QTimer>
#include <QWidget>
#include <cstdio>

namespace periscope::app {

namespace {

class StartupProbe final : public QObject
{
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_painted) {
            m_painted = true;
            // The window's paint event comes first in a synchronous pass over the whole
            // widget tree; a zero timer fires once the children are painted and flushed too.
            QTimer::singleShot(0, this, [] {
                std::fputs("window-shown\n", stdout);
                std::fflush(stdout);
                QCoreApplication::exit(0);
            });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    bool m_painted = false;
};

} // namespace

void installStartupProbe(QWidget *window)
{
    if (qEnvironmentVariableIntValue("PERISCOPE_EXIT_AFTER_SHOW") != 1)
        return;
    window->installEventFilter(new StartupProbe(window));
}

} // namespace periscope::app
