# Optional components (example backends, lemmatisers): each has a VS_WITH_<NAME> cache option,
#   AUTO (default)  built when its dependencies are found, skipped with a message otherwise
#   ON              required: configuring fails when a dependency is missing
#   OFF             never built (tests/run.sh builds such a minimal configuration)
# so a user's build never breaks for a missing optional package, and CI can force every
# combination.

# Declares VS_WITH_<name> and sets <name>_WANTED in the caller's scope.
function(vs_optional name doc)
  set(VS_WITH_${name} AUTO CACHE STRING "${doc}: AUTO (when found), ON (required) or OFF")
  set_property(CACHE VS_WITH_${name} PROPERTY STRINGS AUTO ON OFF)
  string(TOUPPER "${VS_WITH_${name}}" mode)
  if(NOT mode MATCHES "^(AUTO|ON|OFF|TRUE|FALSE|YES|NO|1|0)$")
    message(FATAL_ERROR "VS_WITH_${name}=${VS_WITH_${name}}: use AUTO, ON or OFF")
  endif()
  if(mode MATCHES "^(OFF|FALSE|NO|0)$")
    set(${name}_WANTED FALSE PARENT_SCOPE)
  else()
    set(${name}_WANTED TRUE PARENT_SCOPE)
  endif()
  set_property(GLOBAL APPEND PROPERTY VS_OPTIONAL_COMPONENTS ${name})
endfunction()

# Reports why <name> is not built: an error when VS_WITH_<name>=ON, a status line otherwise.
function(vs_optional_missing name what reason)
  string(TOUPPER "${VS_WITH_${name}}" mode)
  if(mode MATCHES "^(ON|TRUE|YES|1)$")
    message(FATAL_ERROR "${what}: VS_WITH_${name}=ON but ${reason}")
  endif()
  message(STATUS "${what}: not built (${reason})")
  set_property(GLOBAL PROPERTY VS_OPTIONAL_${name}_BUILT OFF)
endfunction()

# Records that <name> is built (for the summary and the CLI's `version`).
function(vs_optional_built name)
  set_property(GLOBAL PROPERTY VS_OPTIONAL_${name}_BUILT ON)
endfunction()

# One line at the end of configuring: which optional components this build has.
function(vs_optional_summary)
  get_property(names GLOBAL PROPERTY VS_OPTIONAL_COMPONENTS)
  set(line "")
  foreach(name ${names})
    get_property(built GLOBAL PROPERTY VS_OPTIONAL_${name}_BUILT)
    if(built)
      string(APPEND line " ${name}=on")
    else()
      string(APPEND line " ${name}=off")
    endif()
  endforeach()
  message(STATUS "optional components:${line}")
endfunction()
