// Runs after `package` (failsafe): the jar alone, in a fresh JVM, with only JNA and kotlin-stdlib
// on the class path, no -Djna.library.path, no LD_LIBRARY_PATH, in an empty folder. The native
// library must come out of the jar, and the example must sign the first rpc-v1 vector exactly.
package camskit.maven

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.io.File
import java.nio.file.Files
import java.util.concurrent.TimeUnit
import java.util.jar.JarFile

class ExampleIT {
    /** Where JNA looks on the class path for this platform: linux-x86-64 here (build.sh puts it there). */
    private val prefix = com.sun.jna.Platform.RESOURCE_PREFIX
    private val jar = File(System.getProperty("camskit.jar") ?: error("camskit.jar is not set")).absoluteFile

    /** The jar file a class was loaded from (JNA's and kotlin-stdlib's, from the local Maven repository). */
    private fun jarOf(c: Class<*>): File = File(c.protectionDomain.codeSource.location.toURI())

    @Test
    fun `the jar holds the Kotlin API, the example and the native library where JNA looks`() {
        JarFile(jar).use { j ->
            val names = j.entries().asSequence().map { it.name }.toSet()
            for (n in listOf("$prefix/libcamskit_uniffi.so", "camskit/CamsClient.class", "camskit/example/ExampleKt.class")) {
                assertTrue(n in names, "$n in $jar")
            }
            assertTrue(names.none { it.startsWith("camskit/maven/") }, "no test classes in the jar")
            assertTrue(j.getEntry("$prefix/libcamskit_uniffi.so").size > 100_000, "library size")
        }
    }

    @Test
    fun `ExampleKt runs with only the jar, JNA and kotlin-stdlib on the class path`() {
        val jna = jarOf(com.sun.jna.Native::class.java)
        val stdlib = jarOf(kotlin.Unit::class.java)
        assertTrue(jna.isFile && jna.name.startsWith("jna-"), "JNA jar: $jna")
        assertTrue(stdlib.isFile && stdlib.name.startsWith("kotlin-stdlib"), "kotlin-stdlib jar: $stdlib")
        val work = Files.createTempDirectory("camskit-example").toFile()
        try {
            val java = File(System.getProperty("java.home"), "bin/java").path
            val pb = ProcessBuilder(
                java, "-Djna.debug_load=true", "-Djna.tmpdir=${work.path}",
                "-cp", listOf(jar, jna, stdlib).joinToString(File.pathSeparator) { it.path },
                "camskit.example.ExampleKt",
            ).directory(work).redirectErrorStream(true)
            pb.environment().remove("LD_LIBRARY_PATH")
            pb.environment().remove("JAVA_TOOL_OPTIONS")
            val p = pb.start()
            val out = p.inputStream.bufferedReader().readText()
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "example finished")
            assertEquals(0, p.exitValue(), out)
            // JNA found the library as a class-path resource inside the jar (its debug_load log)
            assertTrue(Regex("jar:file:.*camskit-kotlin-.*\\.jar!/" + Regex.escape(prefix) + "/libcamskit_uniffi\\.so").containsMatchIn(out), out)
            val lines = out.lines()
            val first = vectorCases("rpc-v1.json").first()
            assertEquals("register: plain", first.getString("name"))
            val e = first.getJSONObject("expected")
            assertTrue("signature: ${e.getString("signature")}" in lines, out)
            assertTrue("string-to-sign: ${e.getString("string_to_sign")}" in lines, out)
            assertTrue("method: POST" in lines, out)
            // the JNI fast path works with the library inside a jar too (JNA deletes its extracted copy)
            assertTrue("fast path: JNI, same request: true" in lines, out)
        } finally {
            work.deleteRecursively()
        }
    }
}
