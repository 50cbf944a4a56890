#include "firstframe.h"

#include <QCoreApplication>
#include <QEvent>
#include <QTimer>
#include <QWidget>
#include <cstdio>

namespace periscope::app {

namespace {

class FirstFrameWatcher final : public QObject
{
public:
    FirstFrameWatcher(QWidget *window, std::function<void()> fn)
        : QObject(window)
        , m_fn(std::move(fn))
    {}

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && m_fn) {
            // The window's paint event comes first in a synchronous pass over the whole
            // widget tree; a zero timer fires once the children are painted and flushed too.
            QTimer::singleShot(0, this, [this, fn = std::move(m_fn)] {
                deleteLater();
                fn();
            });
            m_fn = nullptr; // fire once, though the filter stays until the timer
        }
        return QObject::eventFilter(watched, event);
    }

private:
    std::function<void()> m_fn;
};

} // namespace

void afterFirstFrame(QWidget *window, std::function<void()> fn)
{
    window->installEventFilter(new FirstFrameWatcher(window, std::move(fn)));
}

void installStartupProbe(QWidget *window)
{
    if (qEnvironmentVariableIntValue("PERISCOPE_EXIT_AFTER_SHOW") != 1)
        return;
    afterFirstFrame(window, [] {
        std::fputs("window-shown\n", stdout);
        std::fflush(stdout);
        QCoreApplication::exit(0);
    });
}

} // namespace periscope::app
