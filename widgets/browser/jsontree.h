#pragma once

#include <QJsonValue>

class QTreeWidget;

namespace periscope::widgets {

// Fills a two-column tree (name, value) from JSON; objects and arrays fold. Stops after
// `maxNodes` entries so that a huge document cannot stall the window.
void fillJsonTree(QTreeWidget *tree, const QJsonValue &root, int maxNodes = 20000);

} // namespace periscope::widgets
