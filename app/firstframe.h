#pragma once

#include <functional>

class QWidget;

namespace periscope::app {

// Runs fn once, after window's first frame has been painted and flushed: the place for
// work that must not delay what the user sees first.
void afterFirstFrame(QWidget *window, std::function<void()> fn);

// With PERISCOPE_EXIT_AFTER_SHOW=1 in the environment, prints "window-shown" on stdout
// after window's first frame, then quits the event loop. The start-up benchmark times
// this; without the variable nothing is installed.
void installStartupProbe(QWidget *window);

} // namespace periscope::app
