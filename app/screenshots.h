#pragma once

#include <QString>

namespace periscope::app {

class MainWindow;

// For ./dev screenshot: once the first cluster shows data (the demo topics when the local
// broker was started with them), writes a PNG of each main pane into `dir`, then quits.
void takeScreenshots(MainWindow *window, const QString &dir);

} // namespace periscope::app
