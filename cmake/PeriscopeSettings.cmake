# One INTERFACE target carries the compile settings every Periscope target shares.
add_library(periscope_settings INTERFACE)
target_compile_features(periscope_settings INTERFACE cxx_std_20)
target_compile_definitions(periscope_settings INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_USE_QSTRINGBUILDER
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_KEYWORDS)
target_compile_options(periscope_settings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Wno-missing-field-initializers)
if(PERISCOPE_WERROR)
    target_compile_options(periscope_settings INTERFACE -Werror)
endif()
set(CMAKE_CXX_EXTENSIONS OFF)

# ./dev test --sanitize: AddressSanitizer (with LeakSanitizer) and UndefinedBehaviorSanitizer
# on every Periscope target, the broker included. Undefined behaviour stops the program.
option(PERISCOPE_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(PERISCOPE_SANITIZE)
    set(periscope_sanitizers -fsanitize=address,undefined -fno-sanitize-recover=undefined
        -fno-omit-frame-pointer)
    target_compile_options(periscope_settings INTERFACE ${periscope_sanitizers})
    target_link_options(periscope_settings INTERFACE ${periscope_sanitizers})
endif()
