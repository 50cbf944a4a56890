// The reference for bench_startup: the least a Qt Widgets program does to show a window,
// at the console's size and with the same probe reporting its first paint.
#include "firstframe.h"

#include <QApplication>
#include <QMainWindow>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QMainWindow window;
    window.resize(1280, 800);
    periscope::app::installStartupProbe(&window);
    window.show();
    return QApplication::exec();
}
