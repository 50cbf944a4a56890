#pragma once

class QWidget;

namespace periscope::app {

// With PERISCOPE_EXIT_AFTER_SHOW=1 in the environment, prints "window-shown" on stdout once
// window has been painted for the first time, then quits the event loop. The start-up
// benchmark times this; without the variable nothing is installed.
void installStartupProbe(QWidget *window);

} // namespace periscope::app
