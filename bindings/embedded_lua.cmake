# Turns bindings/lua/*.lua into a header of string constants, so the engine's own
# Lua code ships inside the binary and cannot go missing at run time.
file(GLOB lua_files ${SOURCE_DIR}/bindings/lua/*.lua)
set(content "#pragma once\n// Generated from bindings/lua/*.lua by bindings/embedded_lua.cmake.\nnamespace lueng::bindings::embedded {\n")
foreach(lua_file ${lua_files})
  get_filename_component(name ${lua_file} NAME_WE)
  file(READ ${lua_file} code)
  string(APPEND content "inline constexpr const char ${name}_lua[] = R\"LUENG_LUA(${code})LUENG_LUA\";\n")
endforeach()
string(APPEND content "}  // namespace lueng::bindings::embedded\n")
file(WRITE ${OUTPUT}.tmp "${content}")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUTPUT}.tmp ${OUTPUT})
