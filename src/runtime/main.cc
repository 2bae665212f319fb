#include "runtime/app.h"

int main(int argc, char** argv) { return pasban::runtime::run_app(argc, argv); }
