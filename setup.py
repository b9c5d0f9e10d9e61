"""Build the optional compiled core ``repair._core`` from ``repair/_core.pyx``.

The build is optional: when Cython or a C compiler is missing, or the compile fails,
setup warns and installs the pure twin ``repair/_core_py.py`` only.
``REPAIR_NO_EXTENSIONS=1`` skips the build altogether (the same variable forces the twin
at import, see ``repair/scanner.py``).
"""
import os
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

NO_EXTENSIONS = os.environ.get("REPAIR_NO_EXTENSIONS", "") not in ("", "0")


class OptionalBuildExt(build_ext):
    """build_ext that turns a failed compile into a warning."""

    def run(self):
        try:
            super().run()
        except Exception as exc:  # compiler missing, Cython missing, ...
            self._warn(exc)

    def build_extension(self, ext):
        try:
            super().build_extension(ext)
        except Exception as exc:
            self._warn(exc)

    @staticmethod
    def _warn(exc):
        sys.stderr.write(
            "WARNING: the compiled core repair._core could not be built (%s); "
            "the pure-Python twin will be used.\n" % (exc,)
        )


ext_modules = []
if not NO_EXTENSIONS:
    # The .pyx goes to setup() directly: setuptools cythonizes it when Cython is
    # installed (it is a build requirement), and optional=True survives, which
    # cythonize() would drop.
    ext_modules.append(
        Extension(
            "repair._core",
            ["repair/_core.pyx"],
            optional=True,
            # -fno-plt (ELF): calls into libpython go through the GOT, not a PLT stub;
            # a stream read in chunks of a few characters makes many such calls per
            # chunk (1.5-4% of its time, one-shot repair unchanged)
            extra_compile_args=["-O2"] + (["-fno-plt"] if sys.platform.startswith("linux")
                                          else []),
        )
    )

setup(ext_modules=ext_modules, cmdclass={"build_ext": OptionalBuildExt})
